# Leave-one-set-out choice of the set validation's exponent from main.swift's output (issue #16, fourth round).
import re,sys
sets={};cur=None
for l in open(sys.argv[1]):
    if not l.startswith(' '): cur=l.split()[0]; sets[cur]={}; continue
    m=re.match(r'\s+e=(\S+)\s+val (\S+) / (\S+) \(.*\)\s+test (\S+) / (\S+)',l)
    if m: sets[cur][float(m.group(1))]=(float(m.group(4)),float(m.group(5)))
# issue targets (sMAPE max, MASE max)
T={'m3-monthly':(13.4,None),'m3-quarterly':(8.95,None),'m3-yearly':(15.9,None),'m3-other':(None,None),'tourism-monthly':(None,1.45),'tourism-quarterly':(None,1.50)}
names=list(sets); es=sorted(sets[names[0]])
def loss(d,e):
    b=sets[d][0]; s,m=sets[d][e]
    l=0.5*(s/b[0]+m/b[1])-1
    ts,tm=T[d]
    if ts and s>ts: l+=0.01+3*(s/ts-1)
    if tm and m>tm: l+=0.01+3*(m/tm-1)
    return l
for d in names:
    best=min(es,key=lambda e: sum(loss(o,e) for o in names if o!=d))
    print('| %s | %g | %.2f / %.3f | %.2f / %.3f |'%(d,best,*sets[d][best],*sets[d][0]))
print('all',min(es,key=lambda e: sum(loss(o,e) for o in names)))
