import json, sys, numpy as np, itertools
SETS=["m3-monthly","m3-quarterly","m3-yearly","m3-other","tourism-monthly","tourism-quarterly"]
def load(d):
    out={}
    for s in SETS:
        try: out[s]=json.load(open(f"{d}/{s}.json"))
        except FileNotFoundError: pass
    return out
def prep(D):
    # arrays per set: F[series][member][k], cumulative err C[series][member][k], cum count
    P={}
    for s,o in D.items():
        ser=o["series"]
        P[s]=dict(members=o["members"],ser=[dict(test=np.array(x["test"]),scale=x["scale"],F=np.array(x["f"]),
            C=np.cumsum(np.array(x["sums"]),axis=1),N=np.cumsum(np.array(x["cnt"]))) for x in ser])
    return P
def smape(a,f): return np.mean(200*np.abs(a-f)/(np.abs(a)+np.abs(f)))
def combo(x,idx,priors,e):
    F=x["F"][idx]; C=x["C"][idx]; N=x["N"]; pr=np.array(priors,float)
    h=F.shape[1]; out=np.zeros(h)
    for k in range(h):
        if N[k]>=6 and e>0:
            c=C[:,k]/N[k]; m=c.mean()
            if m>0 and np.isfinite(m):
                w=pr*np.maximum(c,1e-9*m)/m; w=pr*(np.maximum(c,1e-9*m)/m)**(-e)
            else: w=pr.copy()
        else: w=pr.copy()
        w=w/w.sum(); out[k]=(w*F[:,k]).sum()
    return out
def score(P,s,fn):
    sm=[];ma=[]
    for x in P[s]["ser"]:
        f=fn(x); a=x["test"]
        sm.append(smape(a,f)); ma.append(np.mean(np.abs(a-f))/x["scale"])
    return np.mean(sm),np.mean(ma)
def combo_trim(x,idx,priors,e,trim=1):
    F=x["F"][idx]; C=x["C"][idx]; N=x["N"]; pr=np.array(priors,float)
    h=F.shape[1]; out=np.zeros(h)
    for k in range(h):
        w=pr.copy()
        if N[k]>=6:
            c=C[:,k]/N[k]; m=c.mean()
            if m>0 and np.isfinite(m):
                if e>0: w=pr*(np.maximum(c,1e-9*m)/m)**(-e)
                for j in np.argsort(c)[len(c)-trim:]: w[j]=0
        w=w/w.sum(); out[k]=(w*F[:,k]).sum()
    return out
