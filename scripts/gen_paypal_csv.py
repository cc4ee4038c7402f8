#!/usr/bin/env python3
"""Deterministic PayPal-style activity download for benchmarks and tests.

    scripts/gen_paypal_csv.py --rows 1000000 --out /tmp/paypal-1m.csv [--seed 7] [--oldest-first]

Writes the English PayPal "Activity download" layout (quoted fields, dd/mm/yyyy dates, a time and a
time zone column, thousands separators inside quotes) with several currencies (USD, EUR, GBP, JPY),
payments received with fees (some from Prolific, so attributed to that platform), payments sent,
currency conversions as linked "General Currency Conversion" leg pairs, withdrawals to a bank,
memo rows and hold/release pairs. Every row has a unique 17-character Transaction ID and the
running Balance per currency is exact, so an importer can check every row. Rows are written
newest first, as PayPal does, unless --oldest-first is given. The same arguments always give the
same bytes.
"""
import argparse
import random
import sys

HEADER = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee", "Net",
          "From Email Address", "To Email Address", "Transaction ID", "Item Title", "Reference Txn ID",
          "Balance", "Balance Impact"]
CURRENCIES = ["USD", "EUR", "GBP", "JPY"]
DECIMALS = {"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0}
CLIENTS = ["Prolific Academic Ltd", "Acme Corp", "Globex LLC", "Initech GmbH", "Umbrella SA", "Stark Studio",
           "Wayne Media", "Hooli Inc", "Vandelay Imports", "Pied Piper"]
SHOPS = ["Cloud Hosting", "Design Assets", "Office Supplies", "Software Shop"]
RATES = {("GBP", "USD"): 1.27, ("EUR", "USD"): 1.08, ("USD", "EUR"): 0.92, ("GBP", "EUR"): 1.17,
         ("USD", "GBP"): 0.79, ("EUR", "GBP"): 0.86, ("JPY", "USD"): 0.0067, ("USD", "JPY"): 149.0,
         ("EUR", "JPY"): 161.0, ("JPY", "EUR"): 0.0062, ("GBP", "JPY"): 189.0, ("JPY", "GBP"): 0.0053}
ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def money(minor, cur):
    """Minor units → PayPal text: `-1,234.56`, JPY without decimals."""
    d = DECIMALS[cur]
    sign = "-" if minor < 0 else ""
    v = abs(minor)
    whole, frac = (v // 100, v % 100) if d == 2 else (v, None)
    text = "{:,}".format(whole)
    return sign + text + ("" if frac is None else ".%02d" % frac)


def q(fields):
    return ",".join('"' + f.replace('"', '""') + '"' for f in fields)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--oldest-first", action="store_true")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    balance = {c: 0 for c in CURRENCIES}
    rows = []
    counter = 0
    t = 1578873600  # 2020-01-13 00:00:00 UTC: the first day already says day-first

    def new_id():
        nonlocal counter
        counter += 1
        n = counter
        s = []
        for _ in range(9):
            s.append(ALPHABET[n % len(ALPHABET)])
            n //= len(ALPHABET)
        return "PPB" + "".join(reversed(s)) + "%05d" % (counter % 100000)

    def stamp(ts):
        days, rem = divmod(ts, 86400)
        # civil from days (Howard Hinnant)
        z = days + 719468
        era = z // 146097
        doe = z - era * 146097
        yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
        y = yoe + era * 400
        doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
        mp = (5 * doy + 2) // 153
        d = doy - (153 * mp + 2) // 5 + 1
        m = mp + 3 if mp < 10 else mp - 9
        y += 1 if m <= 2 else 0
        return "%02d/%02d/%04d" % (d, m, y), "%02d:%02d:%02d" % (rem // 3600, rem % 3600 // 60, rem % 60)

    def add(name, typ, cur, gross, fee, ref="", impact=None, title="", status="Completed", touches=True):
        net = gross + fee
        if touches:
            balance[cur] += net
        date, time = stamp(t)
        rid = new_id()
        rows.append([date, time, "UTC", name, typ, status, cur, money(gross, cur), money(fee, cur), money(net, cur),
                     "", "", rid, title, ref, money(balance[cur], cur),
                     impact or ("Credit" if net >= 0 else "Debit")])
        return rid

    while len(rows) < a.rows:
        t += rnd.randrange(5, 60)
        r = rnd.random()
        left = a.rows - len(rows)
        if r < 0.62 or left < 2:
            cur = rnd.choice(CURRENCIES)
            gross = rnd.randrange(500, 250000) if cur != "JPY" else rnd.randrange(500, 50000)
            fee = -(gross * 29 // 1000 + (30 if cur != "JPY" else 40))
            add(rnd.choice(CLIENTS), "General Payment", cur, gross, fee, title="Invoice %d" % rnd.randrange(1, 9999))
        elif r < 0.74:
            cur = rnd.choice(CURRENCIES)
            amt = rnd.randrange(100, 20000)
            add(rnd.choice(SHOPS), "Express Checkout Payment", cur, -amt, 0)
        elif r < 0.90:
            src, dst = rnd.sample(CURRENCIES, 2)
            amount_src = rnd.randrange(1000, 100000)
            factor = RATES[(src, dst)] * (10 ** DECIMALS[dst]) / (10 ** DECIMALS[src])
            amount_dst = max(1, int(amount_src * factor))
            parent = "PPP%014d" % (counter + 1)
            add("", "General Currency Conversion", src, -amount_src, 0, ref=parent)
            add("", "General Currency Conversion", dst, amount_dst, 0, ref=parent)
        elif r < 0.95:
            cur = rnd.choice(CURRENCIES)
            amt = max(0, balance[cur] // 2)
            if amt == 0:
                continue
            add("", "General Withdrawal", cur, -amt, 0)
        elif r < 0.975:
            cur = rnd.choice(CURRENCIES)
            add(rnd.choice(CLIENTS), "Request Sent", cur, rnd.randrange(1000, 5000), 0, impact="Memo", touches=False)
        else:
            cur = rnd.choice(CURRENCIES)
            amt = rnd.randrange(100, 5000)
            hold = add("PayPal", "Payment Hold", cur, -amt, 0)
            add("PayPal", "Payment Release", cur, amt, 0, ref=hold)
    rows = rows[:a.rows]
    if not a.oldest_first:
        rows.reverse()
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write(q(HEADER) + "\n")
        for row in rows:
            f.write(q(row) + "\n")
    print("wrote %d rows to %s" % (len(rows), a.out), file=sys.stderr)


if __name__ == "__main__":
    main()
