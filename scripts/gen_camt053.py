#!/usr/bin/env python3
"""Deterministic camt.053 bank statement of a freelancer, and the same transactions as CSV, for
the camt-versus-CSV import benchmark.

    scripts/gen_camt053.py --entries 1000000 --camt /tmp/camt-1m.xml --csv /tmp/camt-1m.csv [--seed 7]

The camt.053.001.08 document holds one statement (Stmt) of one EUR account with its opening
(OPBD) and closing (CLBD) balances and one booked entry (Ntry) per transaction, each with its
booking and value dates, the bank's reference (AcctSvcrRef), a bank transaction code, one
transaction detail (TxDtls) with the end-to-end id, the counterparty's name and unstructured
remittance information, written the way banks write them (one element per line, indented).
About one in fifty entries is a batch of three transactions; one in a hundred is a bank charge.

The CSV holds exactly the same transactions (one row per booked transaction detail, batches
split as Saldo books them) in the layout of a Revolut personal statement (Type, Product,
Started Date, Completed Date, Description, Amount, Fee, Currency, State, Balance), oldest first,
with the running balance. All money is integer minor units; the same arguments give the same
bytes.
"""
import argparse
import datetime
import random

CLIENTS = ["Prolific Academic Ltd", "Upwork Global Inc", "Acme Translation GmbH", "Outlier AI Inc", "Studio Nord BV",
           "Example Client SA", "Data Labelling Co", "Hans Kaufmann", "Maria Bernasconi"]
SHOPS = ["Coworking Space", "Telco Mobile", "Cloud Hosting", "Office Supplies", "Train Tickets", "Software Subscription"]


def money(cents):
    return f"{cents // 100}.{cents % 100:02d}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1000000)
    ap.add_argument("--camt", required=True)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    start = datetime.date(2025, 1, 1)
    opening = 1_234_56
    # First the transactions: (day, [(signed cents, name, text, kind)], charge?)
    balance = opening
    camt = open(a.camt, "w", encoding="utf-8", newline="\n")
    csv = open(a.csv, "w", encoding="utf-8", newline="\n")
    csv.write("Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance\n")
    entries = []
    # Generated in one pass; the closing balance is only known at the end, so entries are
    # written to a temporary list of strings in chunks and the header is written afterwards
    # by reserving a fixed-width closing balance.
    camt.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    camt.write('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">\n  <BkToCstmrStmt>\n')
    camt.write('    <GrpHdr>\n      <MsgId>BENCH-CAMT-1</MsgId>\n      <CreDtTm>2026-01-01T06:00:00</CreDtTm>\n    </GrpHdr>\n')
    camt.write('    <Stmt>\n      <Id>BENCH-2025</Id>\n      <CreDtTm>2026-01-01T06:00:00</CreDtTm>\n')
    camt.write('      <Acct>\n        <Id>\n          <IBAN>DE89370400440532013000</IBAN>\n        </Id>\n        <Ccy>EUR</Ccy>\n'
               '        <Svcr>\n          <FinInstnId>\n            <BICFI>COBADEFFXXX</BICFI>\n          </FinInstnId>\n        </Svcr>\n      </Acct>\n')
    camt.write(f'      <Bal>\n        <Tp>\n          <CdOrPrtry>\n            <Cd>OPBD</Cd>\n          </CdOrPrtry>\n        </Tp>\n'
               f'        <Amt Ccy="EUR">{money(opening)}</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Dt>\n          <Dt>2024-12-31</Dt>\n        </Dt>\n      </Bal>\n')
    closing_at = camt.tell()
    # A closing balance of fixed width, filled in at the end.
    camt.write('      <Bal>\n        <Tp>\n          <CdOrPrtry>\n            <Cd>CLBD</Cd>\n          </CdOrPrtry>\n        </Tp>\n'
               '        <Amt Ccy="EUR">' + " " * 20 + '</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Dt>\n          <Dt>2025-12-31</Dt>\n        </Dt>\n      </Bal>\n')
    n = 0
    per_day = max(1, a.entries // 365 + 1)
    buf = []
    while n < a.entries:
        day = start + datetime.timedelta(days=min(364, n // per_day))
        d = day.isoformat()
        r = rnd.random()
        ref = f"BNK{n:010d}"
        if r < 0.01:
            parts = [(-rnd.randint(100, 2500), "", "Account maintenance charge", "FEE")]
            code = ("ACMT", "MDOP", "CHRG")
        elif r < 0.03:
            parts = [(rnd.randint(1000, 90000), rnd.choice(CLIENTS), f"Invoice {n}-{k}", "TRANSFER") for k in range(3)]
            code = ("PMNT", "RCDT", "ESCT")
        elif r < 0.55:
            parts = [(rnd.randint(500, 250000), rnd.choice(CLIENTS), f"Invoice {n} for services", "TRANSFER")]
            code = ("PMNT", "RCDT", "ESCT")
        else:
            parts = [(-rnd.randint(100, 60000), rnd.choice(SHOPS), f"Order {n}", "CARD_PAYMENT")]
            code = ("PMNT", "ICDT", "ESCT")
        total = sum(p[0] for p in parts)
        cdi = "CRDT" if total >= 0 else "DBIT"
        e = [f'      <Ntry>\n        <Amt Ccy="EUR">{money(abs(total))}</Amt>\n        <CdtDbtInd>{cdi}</CdtDbtInd>\n'
             f'        <Sts>\n          <Cd>BOOK</Cd>\n        </Sts>\n        <BookgDt>\n          <Dt>{d}</Dt>\n        </BookgDt>\n'
             f'        <ValDt>\n          <Dt>{d}</Dt>\n        </ValDt>\n        <AcctSvcrRef>{ref}</AcctSvcrRef>\n'
             f'        <BkTxCd>\n          <Domn>\n            <Cd>{code[0]}</Cd>\n            <Fmly>\n              <Cd>{code[1]}</Cd>\n'
             f'              <SubFmlyCd>{code[2]}</SubFmlyCd>\n            </Fmly>\n          </Domn>\n        </BkTxCd>\n        <NtryDtls>\n']
        if len(parts) > 1:
            e.append(f'          <Btch>\n            <NbOfTxs>{len(parts)}</NbOfTxs>\n          </Btch>\n')
        for k, (cents, name, text, kind) in enumerate(parts):
            role = "Dbtr" if cents >= 0 else "Cdtr"
            e.append(f'          <TxDtls>\n            <Refs>\n')
            if len(parts) > 1:
                e.append(f'              <AcctSvcrRef>{ref}-{k + 1}</AcctSvcrRef>\n')
            e.append(f'              <EndToEndId>E2E{n:010d}{k}</EndToEndId>\n            </Refs>\n')
            e.append(f'            <Amt Ccy="EUR">{money(abs(cents))}</Amt>\n            <CdtDbtInd>{"CRDT" if cents >= 0 else "DBIT"}</CdtDbtInd>\n')
            if name:
                e.append(f'            <RltdPties>\n              <{role}>\n                <Pty>\n                  <Nm>{name}</Nm>\n                </Pty>\n              </{role}>\n            </RltdPties>\n')
            e.append(f'            <RmtInf>\n              <Ustrd>{text}</Ustrd>\n            </RmtInf>\n          </TxDtls>\n')
            balance += cents
            desc = f"{name} {text}".strip() if kind != "FEE" else text
            sign = "-" if cents < 0 else ""
            csv.write(f"{kind},Current,{d} 12:00:00,{d} 12:00:00,{desc},{sign}{money(abs(cents))},0.00,EUR,COMPLETED,"
                      f"{'-' if balance < 0 else ''}{money(abs(balance))}\n")
        e.append('        </NtryDtls>\n      </Ntry>\n')
        buf.append("".join(e))
        n += 1
        if len(buf) >= 10000:
            camt.write("".join(buf)); buf = []
    camt.write("".join(buf))
    camt.write('    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n')
    # The closing balance, right-aligned in its reserved width (XML allows the spaces).
    closing = ("-" if balance < 0 else "") + money(abs(balance))
    camt.seek(closing_at)
    head = ('      <Bal>\n        <Tp>\n          <CdOrPrtry>\n            <Cd>CLBD</Cd>\n          </CdOrPrtry>\n        </Tp>\n'
            '        <Amt Ccy="EUR">' + closing.rjust(20) + '</Amt>\n')
    camt.write(head)
    camt.close()
    csv.close()
    print(f"{a.entries} entries, closing balance {closing} EUR")


if __name__ == "__main__":
    main()
