import sys; import os; sys.path.insert(0,os.path.dirname(os.path.abspath(__file__))); from loso import *
P=prep(load(sys.argv[1]))
pools=sys.argv[2].split(';')
cands=[("def",lambda x,mm:combo(x,[0,1,2,3],[4,2,1,1],2))]
for p in pools:
    for w in [1,2,3,4,6,8]:
        for e in [int(v) for v in os.environ.get("EXPONENTS","2,3,4").split(",")]:
            cands.append((f"{p}|w{w}e{e}",(lambda p,w,e: lambda x,mm:combo(x,[0,1,2,3,mm.index(p)],[4,2,1,1,w],e))(p,w,e)))
T=table(P,cands)
loso(P,T,cands,"def")

