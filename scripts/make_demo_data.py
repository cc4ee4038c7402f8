#!/usr/bin/env python3
"""Writes Saldo's bundled demo data (Sources/SaldoCLI/Demo): the statements and e-invoices of one
made-up freelancer, in the exact layouts the platforms export. Deterministic: re-running writes
the same bytes. Every name, id and amount is invented.

Lucía Martín Soler, a translator and AI trainer in Valencia (Spain), January 2025 to October 2026:
- Prolific studies, paid in USD through PayPal: small, frequent, fairly steady; quiet in August.
- Outlier AI-training projects, paid in USD through PayPal: large bursts; the project stopped
  overnight in November 2025 and a smaller one came back in April 2026.
- Upwork: an hourly contract with Nimbus Labs (USD), 10% service fee, withdrawn to the bank.
- Thames Localisation Ltd (UK) pays GBP invoices into Wise; Wise converts to EUR and sends to the bank.
- Editorial Levante SL (Valencia) gets Facturae e-invoices from January 2026: 21% IVA, 15% IRPF
  withheld; it pays by bank transfer, not always on time.
- PayPal converts USD to EUR (with its spread) and Lucía withdraws EUR to her bank (Norma 43 file).
"""
import os, random, datetime as dt
from decimal import Decimal, ROUND_HALF_EVEN

OUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "SaldoCLI", "Demo")
rng = random.Random(20261128)
D = Decimal
def q(x): return D(x).quantize(D("0.01"), rounding=ROUND_HALF_EVEN)

# The platforms' conversion prices are the ECB reference rate of the day (from the ECB slice
# bundled beside these files) plus each platform's typical spread.
ECB = {}
with open(os.path.join(OUT, "ecb-eurofxref-2024-2026.csv")) as f:
    head = f.readline().strip().split(",")
    for line in f:
        cells = line.strip().split(",")
        day = dt.date.fromisoformat(cells[0])
        ECB[day] = {c: D(v) for c, v in zip(head[1:], cells[1:]) if c and v and v != "N/A"}
def ecb(cur, d):
    while d not in ECB or cur not in ECB[d]:
        d -= dt.timedelta(days=1)
    return ECB[d][cur]
def usd_per_eur(d): return ecb("USD", d)
def gbp_per_eur(d): return ecb("GBP", d)

months = [(y, m) for y in (2025, 2026) for m in range(1, 13) if (y, m) <= (2026, 10)]

def mdays(y, m):
    n = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.date(y, m, 1)).days
    return [dt.date(y, m, d) for d in range(1, n + 1)]

# ---------------------------------------------------------------- PayPal activity download (EN-US)
pp = []          # (datetime, name, type, status, currency, gross, fee, id, ref, subject)
seq = [0]
def pid():
    seq[0] += 1
    return "DEMO%013d" % seq[0]
for (y, m) in months:
    days = mdays(y, m)
    quiet = (m == 8)
    n = rng.randint(2, 4) if quiet else rng.randint(7, 13)
    for _ in range(n):
        d = rng.choice(days)
        gross = q(D(rng.randint(300, 2400)) / 100 * (D("1.0") if y == 2025 else D("1.15")))
        fee = q(gross * D("0.02")) if gross > 10 else D("0.00")
        pp.append((dt.datetime(d.year, d.month, d.day, rng.randint(8, 20), rng.randint(0, 59)), "Prolific Academic Ltd",
                   "Mass Pay Payment", "Completed", "USD", gross, -fee, pid(), "", "Study reward"))
    outlier_on = (y, m) >= (2025, 3) and (y, m) <= (2025, 10) or (y, m) >= (2026, 4)
    if outlier_on:
        level = D(rng.randint(900, 2100)) if y == 2025 else D(rng.randint(450, 1100))
        for k in range(rng.randint(2, 4)):
            d = rng.choice(days)
            gross = q(level / 3 * D(rng.randint(80, 120)) / 100)
            fee = q(gross * D("0.029") + D("0.30"))
            pp.append((dt.datetime(d.year, d.month, d.day, 11, rng.randint(0, 59)), "Smart Ecosystem Inc. (Outlier)",
                       "Payment Received", "Completed", "USD", gross, -fee, pid(), "", "Outlier tasks"))
    # A pending payment and a memo row in some months: filtered by Saldo with a reason.
    if m in (3, 9):
        d = days[-2]
        pp.append((dt.datetime(d.year, d.month, d.day, 9, 0), "Prolific Academic Ltd", "Mass Pay Payment", "Pending", "USD",
                   D("12.50"), D("0.00"), pid(), "", "Study reward"))
# Month-end: convert most of the USD to EUR, then withdraw EUR to the bank.
pp.sort(key=lambda r: r[0])
bal = {"USD": D("0"), "EUR": D("0")}
rows = []
def add(r):
    cur, gross, fee = r[4], r[5], r[6]
    if r[3] == "Completed":
        bal[cur] += gross + fee
    rows.append(r + (bal[cur],))
i = 0
for (y, m) in months:
    end = mdays(y, m)[-1]
    while i < len(pp) and pp[i][0].date() <= end:
        add(pp[i]); i += 1
    usd = q(bal["USD"] * D("0.9"))
    if usd > 50:
        when = dt.datetime(end.year, end.month, end.day, 21, 0)
        rate = usd_per_eur(end) * D("1.035")            # PayPal's retail rate: about 3.5% worse than the ECB reference
        eur = q(usd / rate)
        a, b = pid(), pid()
        add((when, "", "General Currency Conversion", "Completed", "USD", -usd, D("0.00"), a, b, ""))
        add((when, "", "General Currency Conversion", "Completed", "EUR", eur, D("0.00"), b, a, ""))
        w = end + dt.timedelta(days=2)
        add((dt.datetime(w.year, w.month, w.day, 10, 0), "", "General Withdrawal", "Completed", "EUR", -bal["EUR"], D("0.00"), pid(), "", "Withdrawal to ES91 **** 4471"))
while i < len(pp):
    add(pp[i]); i += 1
with open(os.path.join(OUT, "paypal-activity-2025-2026.csv"), "w", newline="") as f:
    f.write('"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address","To Email Address","Transaction ID","Item Title","Reference Txn ID","Balance","Subject","Note","Balance Impact"\r\n')
    for r in sorted(rows, key=lambda r: r[0], reverse=True):
        when, name, typ, status, cur, gross, fee, tid, ref, subj, b = r
        net = gross + fee
        impact = "Credit" if net > 0 else "Debit"
        cells = [f"{when.month}/{when.day}/{when.year}", when.strftime("%H:%M:%S"), "PST", name, typ, status, cur,
                 f"{gross:,.2f}", f"{fee:,.2f}", f"{net:,.2f}", "payments@prolific.example" if "Prolific" in name else "",
                 "lucia.martin@example.es", tid, "", ref, f"{b:,.2f}", subj, "", impact]
        f.write(",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\r\n")

# ---------------------------------------------------------------- Upwork transaction history (2025 layout)
up = []
ub = D("0")
ref = [800100000]
def uref():
    ref[0] += 7
    return str(ref[0])
for (y, m) in months:
    if (y, m) < (2025, 2):
        continue
    for wk in range(4):
        d = dt.date(y, m, 1 + wk * 7)
        hours = D(rng.randint(8, 22)) if (y, m) != (2026, 8) else D(rng.randint(0, 4))
        if hours == 0:
            continue
        amt = q(hours * D("32.00"))
        ub += amt
        up.append((d, "Hourly", "Hourly", f"Invoice for {d:%m/%d/%Y} - {hours} hrs @ $32.00/hr", uref(), amt, ub, ""))
        fee = q(amt * D("0.10"))
        ub -= fee
        up.append((d, "Service Fee", "Service Fee", f"Service Fee for Hourly - Ref ID {ref[0]}", uref(), -fee, ub, ""))
    d = dt.date(y, m, 27)
    if ub > 100:
        w = q(ub - D("0.99"))
        ub -= w
        up.append((d, "Withdrawal", "Withdrawal", "Direct to U.S. Bank (USD) - Wise: xxxx-8842", uref(), -w, ub, "Direct to U.S. Bank"))
        ub -= D("0.99")
        up.append((d, "Withdrawal Fee", "Withdrawal Fee", "Withdrawal Fee - Direct to U.S. Bank xxxx-8842", uref(), D("-0.99"), ub, ""))
with open(os.path.join(OUT, "upwork-transactions.csv"), "w", newline="") as f:
    f.write("Date,Transaction type,Transaction summary,Transaction summary details,Ref ID,Amount $,Current balance $,Payment method\n")
    for r in reversed(up):
        d, t, s, det, rid, amt, b, pm = r
        f.write(f'{d.isoformat()},{t},{s},"{det}",{rid},{amt:.2f},{b:.2f},{pm}\n')

# ---------------------------------------------------------------- Wise balance statements (USD, GBP and EUR, 20 columns)
# Events per balance: (date, order, id, amount, currency, description, reference, exchange from, to, rate, payer, payee, fee, to-amount)
events = {"USD": [], "GBP": [], "EUR": []}
wid = [910000000]
def wiseid(prefix):
    wid[0] += 13
    return f"{prefix}-{wid[0]}"
def convert(d, src, amount, rate_per_eur, spread, fixed):
    """Wise converts `amount` of src to EUR: fee first, then the mid rate less its spread."""
    fee = q(amount * D("0.0045") + fixed)
    rate = (1 / rate_per_eur * (1 - spread)).quantize(D("0.00001"))   # EUR per unit of src
    to_eur = q((amount - fee) * rate)
    cid = wiseid("BALANCE")
    desc = f"Converted {amount:.2f} {src} to {to_eur:.2f} EUR"
    events[src].append((d, 1, cid, -amount, src, desc, "", src, "EUR", rate, "", "", fee, to_eur))
    events["EUR"].append((d, 1, cid, to_eur, "EUR", desc, "", src, "EUR", rate, "", "", D("0.00"), to_eur))
for (y, m) in months:
    if (y, m) >= (2025, 4):
        d = dt.date(y, m, 12)
        amount = q(D(rng.randint(450, 950)))
        events["GBP"].append((d, 0, wiseid("TRANSFER"), amount, "GBP", f"Received money from THAMES LOCALISATION LTD with reference INV-TL-{y}{m:02d}",
                              f"INV-TL-{y}{m:02d}", "", "", "", "THAMES LOCALISATION LTD", "", D("0.00"), ""))
        convert(dt.date(y, m, 15), "GBP", amount, gbp_per_eur(dt.date(y, m, 15)), D("0.0015"), D("0.30"))
for r in up:
    d, t, s_, det, rid, amt, b, pm = r
    if t == "Withdrawal":
        arrive = d + dt.timedelta(days=2)
        events["USD"].append((arrive, 0, wiseid("TRANSFER"), -amt, "USD", f"Received money from UPWORK GLOBAL INC with reference {rid}", rid,
                              "", "", "", "UPWORK GLOBAL INC", "", D("0.00"), ""))
        c = arrive + dt.timedelta(days=1)
        convert(c, "USD", -amt, usd_per_eur(c), D("0.0015"), D("0.50"))
# Once a month, everything on the EUR balance goes to the bank.
for (y, m) in months:
    if (y, m) >= (2025, 4):
        events["EUR"].append((dt.date(y, m, 16), 2, None, None, "EUR", "Sent money to Lucia Martin Soler", "Ahorro", "", "", "", "", "Lucia Martin Soler", D("0.00"), ""))
wise_rows = {}
for cur, evs in events.items():
    bal = D("0")
    rows_ = []
    for e in sorted(evs, key=lambda e: (e[0], e[1])):
        d, _, tid, amt, c, desc, ref_, ef, et, er, payer, payee, fee, eta = e
        if amt is None:                                  # the monthly transfer to the bank
            if bal <= 0:
                continue
            amt, tid = -bal, wiseid("TRANSFER")
        bal += amt
        rows_.append((d, tid, amt, c, desc, ref_, bal, ef, et, er, payer, payee, fee, eta))
    wise_rows[cur] = rows_
gbp, eur_w, usd_w = wise_rows["GBP"], wise_rows["EUR"], wise_rows["USD"]
def write_wise(name, rows):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        f.write('"TransferWise ID",Date,Amount,Currency,Description,"Payment Reference","Running Balance","Exchange From","Exchange To","Exchange Rate","Payer Name","Payee Name","Payee Account Number",Merchant,"Card Last Four Digits","Card Holder Full Name",Attachment,Note,"Total fees","Exchange To Amount"\n')
        for r in reversed(rows):
            d, tid, amt, cur, desc, ref_, b, ef, et, er, payer, payee, fee, eta = r
            f.write(f'{tid},{d:%d-%m-%Y},{amt:.2f},{cur},"{desc}",{ref_},{b:.2f},{ef},{et},{er},"{payer}","{payee}",,,,,,,{fee:.2f},{eta if eta == "" else format(eta, ".2f")}\n')
write_wise("wise-statement-gbp.csv", gbp)
write_wise("wise-statement-eur.csv", eur_w)
write_wise("wise-statement-usd.csv", usd_w)

# ---------------------------------------------------------------- Facturae invoices to Editorial Levante SL
invoices = []
for (y, m) in months:
    if y < 2026:
        continue
    issue = dt.date(y, m, 28) if m != 2 else dt.date(y, 2, 27)
    net = q(D(rng.randint(600, 1400)))
    vat = q(net * D("0.21"))
    irpf = q(net * D("0.15"))
    # Facturae: InvoiceTotal = gross before taxes + taxes output - taxes withheld.
    total = net + vat - irpf
    payable = total
    number = f"LMS-{y}-{m:03d}"
    due = issue + dt.timedelta(days=30)
    invoices.append((number, issue, due, net, vat, irpf, total, payable))
    xml = f'''<?xml version="1.0" encoding="UTF-8"?>
<fe:Facturae xmlns:fe="http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml">
  <FileHeader>
    <SchemaVersion>3.2.2</SchemaVersion>
    <Modality>I</Modality>
    <InvoiceIssuerType>EM</InvoiceIssuerType>
    <Batch>
      <BatchIdentifier>12345678Z{number}</BatchIdentifier>
      <InvoicesCount>1</InvoicesCount>
      <TotalInvoicesAmount><TotalAmount>{total:.2f}</TotalAmount></TotalInvoicesAmount>
      <TotalOutstandingAmount><TotalAmount>{payable:.2f}</TotalAmount></TotalOutstandingAmount>
      <TotalExecutableAmount><TotalAmount>{payable:.2f}</TotalAmount></TotalExecutableAmount>
      <InvoiceCurrencyCode>EUR</InvoiceCurrencyCode>
    </Batch>
  </FileHeader>
  <Parties>
    <SellerParty>
      <TaxIdentification>
        <PersonTypeCode>F</PersonTypeCode>
        <ResidenceTypeCode>R</ResidenceTypeCode>
        <TaxIdentificationNumber>12345678Z</TaxIdentificationNumber>
      </TaxIdentification>
      <Individual>
        <Name>Lucía</Name>
        <FirstSurname>Martín</FirstSurname>
        <SecondSurname>Soler</SecondSurname>
        <AddressInSpain>
          <Address>Carrer de la Pau, 12</Address>
          <PostCode>46002</PostCode>
          <Town>València</Town>
          <Province>Valencia</Province>
          <CountryCode>ESP</CountryCode>
        </AddressInSpain>
      </Individual>
    </SellerParty>
    <BuyerParty>
      <TaxIdentification>
        <PersonTypeCode>J</PersonTypeCode>
        <ResidenceTypeCode>R</ResidenceTypeCode>
        <TaxIdentificationNumber>B98765432</TaxIdentificationNumber>
      </TaxIdentification>
      <LegalEntity>
        <CorporateName>Editorial Levante SL</CorporateName>
        <AddressInSpain>
          <Address>Avinguda del Port, 200</Address>
          <PostCode>46023</PostCode>
          <Town>València</Town>
          <Province>Valencia</Province>
          <CountryCode>ESP</CountryCode>
        </AddressInSpain>
      </LegalEntity>
    </BuyerParty>
  </Parties>
  <Invoices>
    <Invoice>
      <InvoiceHeader>
        <InvoiceNumber>{number}</InvoiceNumber>
        <InvoiceDocumentType>FC</InvoiceDocumentType>
        <InvoiceClass>OO</InvoiceClass>
      </InvoiceHeader>
      <InvoiceIssueData>
        <IssueDate>{issue.isoformat()}</IssueDate>
        <InvoiceCurrencyCode>EUR</InvoiceCurrencyCode>
        <TaxCurrencyCode>EUR</TaxCurrencyCode>
        <LanguageName>es</LanguageName>
      </InvoiceIssueData>
      <TaxesOutputs>
        <Tax>
          <TaxTypeCode>01</TaxTypeCode>
          <TaxRate>21.00</TaxRate>
          <TaxableBase><TotalAmount>{net:.2f}</TotalAmount></TaxableBase>
          <TaxAmount><TotalAmount>{vat:.2f}</TotalAmount></TaxAmount>
        </Tax>
      </TaxesOutputs>
      <TaxesWithheld>
        <Tax>
          <TaxTypeCode>04</TaxTypeCode>
          <TaxRate>15.00</TaxRate>
          <TaxableBase><TotalAmount>{net:.2f}</TotalAmount></TaxableBase>
          <TaxAmount><TotalAmount>{irpf:.2f}</TotalAmount></TaxAmount>
        </Tax>
      </TaxesWithheld>
      <InvoiceTotals>
        <TotalGrossAmount>{net:.2f}</TotalGrossAmount>
        <TotalGrossAmountBeforeTaxes>{net:.2f}</TotalGrossAmountBeforeTaxes>
        <TotalTaxOutputs>{vat:.2f}</TotalTaxOutputs>
        <TotalTaxesWithheld>{irpf:.2f}</TotalTaxesWithheld>
        <InvoiceTotal>{total:.2f}</InvoiceTotal>
        <TotalOutstandingAmount>{payable:.2f}</TotalOutstandingAmount>
        <TotalExecutableAmount>{payable:.2f}</TotalExecutableAmount>
      </InvoiceTotals>
      <Items>
        <InvoiceLine>
          <ItemDescription>Traducción y revisión editorial ({issue:%m/%Y})</ItemDescription>
          <Quantity>1.0</Quantity>
          <UnitOfMeasure>01</UnitOfMeasure>
          <UnitPriceWithoutTax>{net:.2f}</UnitPriceWithoutTax>
          <TotalCost>{net:.2f}</TotalCost>
          <GrossAmount>{net:.2f}</GrossAmount>
          <TaxesWithheld>
            <Tax>
              <TaxTypeCode>04</TaxTypeCode>
              <TaxRate>15.00</TaxRate>
              <TaxableBase><TotalAmount>{net:.2f}</TotalAmount></TaxableBase>
              <TaxAmount><TotalAmount>{irpf:.2f}</TotalAmount></TaxAmount>
            </Tax>
          </TaxesWithheld>
          <TaxesOutputs>
            <Tax>
              <TaxTypeCode>01</TaxTypeCode>
              <TaxRate>21.00</TaxRate>
              <TaxableBase><TotalAmount>{net:.2f}</TotalAmount></TaxableBase>
              <TaxAmount><TotalAmount>{vat:.2f}</TotalAmount></TaxAmount>
            </Tax>
          </TaxesOutputs>
        </InvoiceLine>
      </Items>
      <PaymentDetails>
        <Installment>
          <InstallmentDueDate>{due.isoformat()}</InstallmentDueDate>
          <InstallmentAmount>{payable:.2f}</InstallmentAmount>
          <PaymentMeans>04</PaymentMeans>
        </Installment>
      </PaymentDetails>
    </Invoice>
  </Invoices>
</fe:Facturae>
'''
    os.makedirs(os.path.join(OUT, "invoices"), exist_ok=True)
    with open(os.path.join(OUT, "invoices", f"{number}.xml"), "w") as f:
        f.write(xml)

# ---------------------------------------------------------------- Norma 43 bank statement (ING, EUR)
bank = []   # (date, concept common, own, sign(+1 credit), amount, doc, ref, text)
for r in rows:
    when, name, typ, status, cur, gross, fee, tid, ref_, subj, b = r
    if typ == "General Withdrawal":
        d = when.date() + dt.timedelta(days=1)
        bank.append((d, "02", "100", 1, -gross, "PAYPAL EUROPE S.A.R.L. ET CIE S.C.A", tid))
for r in eur_w:
    d, tid, amt, cur, desc, ref_, b, *_ = r
    if amt < 0:
        bank.append((d + dt.timedelta(days=1), "02", "100", 1, -amt, "WISE EUROPE SA", tid))
for (number, issue, due, net, vat, irpf, total, payable) in invoices:
    if number.endswith("-010") or number.endswith("-009"):
        continue                                   # not paid yet: outstanding / overdue in the demo
    late = 12 if number.endswith("-005") else rng.randint(-3, 6)
    bank.append((due + dt.timedelta(days=late), "02", "100", 1, payable, "EDITORIAL LEVANTE SL", "FRA " + number))
for (y, m) in months:
    bank.append((dt.date(y, m, 28 if m != 2 else 27), "03", "205", -1, D("294.00") if y == 2026 else D("230.15"), "TGSS CUOTA AUTONOMOS", f"RETA{y}{m:02d}"))
bank.sort(key=lambda r: (r[0], r[5]))
def n43_amount(a): return "%014d" % int((abs(a) * 100).to_integral_value())
opening = D("1500.00")
lines = []
start, end = bank[0][0], bank[-1][0]
lines.append("11" + "1465" + "0100" + "0123456789" + f"{start:%y%m%d}" + f"{end:%y%m%d}" + "2" + n43_amount(opening) + "978" + "3" + "LUCIA MARTIN SOLER".ljust(26) + "   ")
balance = opening
debits = credits = D("0"); nd = nc = 0
for i, (d, common, own, sign, amt, text, ref_) in enumerate(bank):
    key = "2" if sign > 0 else "1"
    if sign > 0: credits += amt; nc += 1
    else: debits += amt; nd += 1
    balance += amt * sign
    rec = "22" + "    " + "0100" + f"{d:%y%m%d}" + f"{d:%y%m%d}" + common + own + key + n43_amount(amt) + "%010d" % (i + 1) + ref_[:12].ljust(12) + "".ljust(16)
    lines.append(rec[:80].ljust(80))
    lines.append(("2301" + text.ljust(38)[:38] + ref_.ljust(38)[:38])[:80])
final = balance
lines.append(("33" + "1465" + "0100" + "0123456789" + "%05d" % nd + n43_amount(debits) + "%05d" % nc + n43_amount(credits) + ("2" if final >= 0 else "1") + n43_amount(final) + "978" + "    ")[:80].ljust(80))
lines.append(("88" + "9" * 18 + "%06d" % (len(lines) + 1)).ljust(80))
with open(os.path.join(OUT, "bank-ing-2025-2026.n43"), "w", encoding="latin-1", newline="") as f:
    f.write("\r\n".join(lines) + "\r\n")

print(f"paypal rows {len(rows)}, upwork rows {len(up)}, wise {len(gbp)}+{len(eur_w)}+{len(usd_w)}, invoices {len(invoices)}, bank {len(bank)}")
