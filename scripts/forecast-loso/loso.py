import sys; import os; sys.path.insert(0,os.path.dirname(os.path.abspath(__file__))); from an import *
def table(P,cands):
    T={}
    for s in P:
        for name,fn in cands:
            T[(s,name)]=score(P,s,lambda x: fn(x,P[s]["members"]))
    return T
def loso(P,T,cands,ref):
    sets=list(P); rows=[]
    def rel(s,n): return (T[(s,n)][0]/T[(s,ref)][0]+T[(s,n)][1]/T[(s,ref)][1])/2
    for held in sets:
        others=[s for s in sets if s!=held]
        best=min((np.mean([rel(s,n) for s in others]),n) for n,_ in cands)[1]
        rows.append((held,best,T[(held,best)],T[(held,ref)]))
        print("%-18s chosen %-28s %.2f/%.3f   ref %.2f/%.3f"%(held,best,*T[(held,best)],*T[(held,ref)]))
    allbest=min((np.mean([rel(s,n) for s in sets]),n) for n,_ in cands)[1]
    print("chosen on all six:",allbest, " ".join("%.2f/%.3f"%T[(s,allbest)] for s in sets))
    return rows
def idx(mem,names): return [mem.index(n) for n in names]
