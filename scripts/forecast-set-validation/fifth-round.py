# Issue #16, fifth round: leave-one-set-out choice of each set-level rule family from fifth-round.swift's output.
# The loss of a set: mean of sMAPE and MASE relative to no rescaling, plus 0.01 and three times the relative
# excess for a missed point target of the issue and (first table) for being behind the best member.
import re,sys
sets={};cur=None;members={}
for l in open(sys.argv[1]):
    if re.match(r'^[mt]',l): cur=l.split()[0]; sets[cur]={}; members[cur]={}; continue
    m=re.match(r'\s+R (.*?) \| test (\S+) / (\S+)',l)
    if m: sets[cur][m.group(1)]=(float(m.group(2)),float(m.group(3)))
    m=re.match(r'\s+member (\S+) test (\S+) / (\S+)',l)
    if m: members[cur][m.group(1)]=(float(m.group(2)),float(m.group(3)))
names=list(sets)
T={'m3-monthly':(13.4,None),'m3-quarterly':(8.95,None),'m3-yearly':(15.9,None),'m3-other':(None,None),'tourism-monthly':(None,1.45),'tourism-quarterly':(None,1.50)}
def loss(d,r,best=True):
    b=sets[d]['w1 e=0.0']; s,m=sets[d][r]
    l=0.5*(s/b[0]+m/b[1])-1
    ts,tm=T[d]
    if ts and s>ts: l+=0.01+3*(s/ts-1)
    if tm and m>tm: l+=0.01+3*(m/tm-1)
    if best:
        bs=min(v[0] for v in members[d].values()); bm=min(v[1] for v in members[d].values())
        if s>bs: l+=0.01+3*(s/bs-1)
        if m>bm: l+=0.01+3*(m/bm-1)
    return l
fams={}
for r in sets[names[0]]:
    f=re.sub(r'[\d.]+$','',r); fams.setdefault(f,[]).append(r)
for best in (True, False):
  print('=== loss with best-member penalty' if best else '=== loss without best-member penalty')
  for f,rs in fams.items():
    if len(rs)<2: continue
    out=[];ok=0
    for d in names:
        c=min(rs,key=lambda r: sum(loss(o,r,best) for o in names if o!=d))
        s,m=sets[d][c]
        bs=min(v[0] for v in members[d].values()); bm=min(v[1] for v in members[d].values())
        good = s<=bs and m<=bm
        ts,tm=T[d]; tgt=(not ts or s<=ts) and (not tm or m<=tm)
        ok+=good
        out.append('%s: %s %.2f/%.3f%s%s'%(d[:9],c[len(f):],s,m,'' if good else ' BEHIND','' if tgt else ' MISS'))
    allc=min(rs,key=lambda r: sum(loss(o,r,best) for o in names))
    print('%-20s best-member %d/6 | all six: %s'%(f,ok,allc[len(f):]), ' | '.join(out))
