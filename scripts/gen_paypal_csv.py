#!/usr/bin/env python3
"""Deterministic PayPal activity download of a freelancer, for benchmarks and tests.

    scripts/gen_paypal_csv.py --rows 1000000 --out /tmp/paypal-1m.csv [--seed 7] [--oldest-first] [--check]
    scripts/gen_paypal_csv.py --check --out FILE      # only verify a file written earlier

The file looks like what a European freelancer (home currency EUR, clients paying in USD, EUR, GBP
and a few in JPY) downloads from PayPal's Activity page with English headers and a customised set
of report fields: 16 of the 41 default columns ("Date" … "Balance Impact", see HEADER), every field
quoted, dd/mm/yyyy dates, CET/CEST times, thousands separators inside the quotes, about 170 bytes
per row. The rows cover one year (starting 13/01/2020, so the oldest date already says day-first):

- payments received from clients and platforms, most with PayPal's fee (percentage + fixed fee);
- refunds of earlier payments ("Payment Refund", Reference Txn ID = the payment, the percentage
  part of the fee returned pro rata and the fixed fee kept; the payment's Status becomes
  "Refunded" or "Partially Refunded");
- payments sent (subscriptions, shops, subcontractors);
- currency conversions, two "General Currency Conversion" legs at the same second making up at
  least 10% of the rows, referenced ONE WAY: the first leg (the debit; the lower of the two rows in
  a newest-first file) has an empty Reference Txn ID and the second leg's names the first leg's
  Transaction ID, a shape importers must pair by that reference alone;
- withdrawals to a bank account;
- payment holds and, days later, their releases (both referencing the payment held);
- money requests sent (Balance Impact "Memo", which do not move the balance).

Every row has a unique 17-character Transaction ID, Net = Gross + Fee, and the running Balance per
currency is exact (all money is integer minor units). Rows are written newest first, as PayPal
does, unless --oldest-first is given. The same arguments always give the same bytes. At the end the
average bytes per row and the column count go to stderr; --check then re-reads the file and asserts
that every currency's balance chains and that every conversion pair has the one-way reference shape.
"""
import argparse
import csv
import heapq
import os
import random
import sys

# A customised Activity download: the English names of the 41-column default, in its order.
# (The e-mail, address and shipping columns are left out, as a user can choose in "Customize report
# fields"; with them a row would be over 200 bytes.)
HEADER = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee", "Net",
          "Transaction ID", "Item Title", "Reference Txn ID", "Invoice Number", "Balance", "Balance Impact"]
DATE, TIME, TZ, NAME, TYPE, STATUS, CUR, GROSS, FEE, NET, TXN, ITEM, REF, INVOICE, BALANCE, IMPACT = range(len(HEADER))

DECIMALS = {"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0}
HOME = "EUR"
# PayPal's commercial fee per currency: basis points of the gross + a fixed fee in minor units.
FEES = {"USD": (349, 49), "EUR": (290, 35), "GBP": (290, 30), "JPY": (360, 40)}
# Mid rates in millionths (1 unit of the first currency in the second); PayPal adds its spread.
RATE_PPM = {("USD", "EUR"): 920000, ("GBP", "EUR"): 1170000, ("JPY", "EUR"): 6200,
            ("EUR", "USD"): 1080000, ("EUR", "GBP"): 855000}
SPREAD_PPM = 30000  # 3% conversion spread
# Clients: name, currency, weight, typical invoice in major units (low, high), payment types.
CLIENTS = [
    ("Globex LLC", "USD", 14, (150, 2400), "General Payment"),
    ("Initech Inc", "USD", 10, (300, 3800), "Website Payment"),
    ("Hooli", "USD", 6, (500, 6000), "General Payment"),
    ("Stark Studio Ltd", "GBP", 12, (120, 1800), "General Payment"),
    ("Wayne Media", "GBP", 5, (250, 2600), "Website Payment"),
    ("Umbrella SA", "EUR", 9, (200, 2900), "General Payment"),
    ("Initech GmbH", "EUR", 7, (180, 2200), "General Payment"),
    ("Pied Piper", "USD", 4, (90, 900), "Mobile Payment"),
    ("Kaiju Works KK", "JPY", 4, (20000, 300000), "General Payment"),
]
# Platforms paying many small amounts ("Mass Pay"); the sender often pays the fee.
PLATFORMS = [
    ("Prolific Academic Ltd", "GBP", 14, (3, 45)),
    ("Smart Ecosystem Inc", "USD", 8, (20, 400)),
]
# Payments sent: name, currency, type, (low, high) in major units, item title.
SPENDING = [
    ("Adobe Systems", "EUR", "Subscription Payment", (12, 66), "Creative Cloud"),
    ("Figma Inc", "USD", "PreApproved Payment Bill User Payment", (12, 45), "Figma Pro"),
    ("DigitalOcean", "USD", "PreApproved Payment Bill User Payment", (5, 90), "Droplets"),
    ("Envato Pty", "USD", "Express Checkout Payment", (9, 60), "Assets"),
    ("Hetzner Online", "EUR", "Express Checkout Payment", (4, 40), "Server"),
    ("Luis Ortega", "EUR", "General Payment", (80, 900), "Illustrations"),
    ("Mara Lind", "EUR", "General Payment", (60, 700), "Copy edits"),
]
BANKS = {"EUR": "ES91 **** 4471", "USD": "US Wise **** 0193", "GBP": "GB Wise **** 5520"}
ID36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PAIR36 = [a + b for a in ID36 for b in ID36]
ID_SPACE = 36 ** 17
ID_MUL = 36 ** 17 * 618034 // 1000000 // 6 * 6 + 1  # prime to 36: counter → ID is a bijection


def money(minor, cur):
    """Minor units → PayPal text: `-1,234.56`, JPY without decimals."""
    sign = "-" if minor < 0 else ""
    v = -minor if minor < 0 else minor
    if DECIMALS[cur] == 0:
        return sign + "{:,}".format(v)
    return sign + "{:,}".format(v // 100) + ".%02d" % (v % 100)


def parse_money(text, cur):
    neg = text.startswith("-")
    t = text.lstrip("-").replace(",", "")
    if DECIMALS[cur] == 0:
        assert "." not in t, text
        v = int(t)
    else:
        whole, frac = t.split(".")
        assert len(frac) == 2, text
        v = int(whole) * 100 + int(frac)
    return -v if neg else v


def civil(days):
    """Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if m <= 2 else 0), m, d


def days_from_civil(y, m, d):
    y -= 1 if m <= 2 else 0
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def last_sunday(y, m):
    """The day number of the last Sunday of month m (March or October) of year y."""
    last = days_from_civil(y, m, 31)
    return last - (last + 4) % 7  # 1970-01-01 was a Thursday


# Central European summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
# last Sunday of October.
DST = {y: (last_sunday(y, 3) * 86400 + 3600, last_sunday(y, 10) * 86400 + 3600) for y in range(1990, 2200)}


def local(ts):
    """UTC seconds → ("dd/mm/yyyy", "hh:mm:ss", "CET"|"CEST")."""
    y = civil(ts // 86400)[0]
    start, end = DST[y]
    summer = start <= ts < end
    lt = ts + (7200 if summer else 3600)
    yy, mm, dd = civil(lt // 86400)
    rem = lt % 86400
    return ("%02d/%02d/%04d" % (dd, mm, yy), "%02d:%02d:%02d" % (rem // 3600, rem % 3600 // 60, rem % 60),
            "CEST" if summer else "CET")


def skip_repeated_hour(ts):
    """Moves an instant out of the hour before and after the autumn change, so that local times
    never go backwards (the hour 02:00-03:00 happens twice that night)."""
    y = civil(ts // 86400)[0]
    end = DST[y][1]
    return end + 3600 if end - 3600 <= ts < end + 3600 else ts


def generate(a):
    rnd = random.Random(a.seed)
    balance = {c: 0 for c in DECIMALS}
    lines = []          # rendered rows, oldest first
    counter = 0
    # 2020-01-13 08:00 UTC by default: the first day already says day-first (keep --start's day above 12)
    sy, sm, sd = (int(x) for x in a.start.split("-"))
    t = days_from_civil(sy, sm, sd) * 86400 + 8 * 3600
    year = 365 * 86400
    gap = max(2, year // max(1, a.rows))  # the rows cover about a year
    recent = []         # refundable payments received: [line index, fields, fee percent part]
    releases = []       # heap of (due time, sequence, currency, amount, payment id, name)
    invoice_no = 1000
    client_w = [c[2] for c in CLIENTS]
    platform_w = [p[2] for p in PLATFORMS]

    def new_id():
        nonlocal counter
        counter += 1
        x = (counter * ID_MUL + 0x5A1D0) % ID_SPACE
        s = []
        for _ in range(8):
            x, r = divmod(x, 1296)
            s.append(PAIR36[r])
        s.append(ID36[x % 36])
        return "".join(s)[::-1]

    def render(f):
        return '"' + '","'.join(f) + '"'

    def add(ts, name, typ, cur, gross, fee, item="", ref="", invoice="", status="Completed", memo=False):
        net = gross + fee
        if not memo:
            balance[cur] += net
            assert balance[cur] >= 0, (cur, balance[cur])
        date, time, zone = local(ts)
        rid = new_id()
        f = [date, time, zone, name, typ, status, cur, money(gross, cur), money(fee, cur), money(net, cur),
             rid, item, ref, invoice, money(balance[cur], cur),
             "Memo" if memo else ("Credit" if net >= 0 else "Debit")]
        lines.append(render(f))
        return rid, f

    def major(cur, lo, hi):
        """A random amount between lo and hi major units, in minor units."""
        unit = 10 ** DECIMALS[cur]
        return rnd.randrange(lo * unit, hi * unit + 1)

    while len(lines) < a.rows:
        if lines:
            t = skip_repeated_hour(t + rnd.randrange(gap // 5, gap * 9 // 5 + 1))
        while releases and releases[0][0] <= t and len(lines) < a.rows:
            due, _, cur, amt, pid, name = heapq.heappop(releases)
            add(due, "PayPal", "Payment Release", cur, amt, 0, ref=pid)
        if len(lines) >= a.rows:
            break
        left = a.rows - len(lines)
        r = rnd.random()
        if r < 0.70 or left < 2:
            # A payment received: a client's invoice or a platform's payout.
            if rnd.random() < 0.7:
                name, cur, _, (lo, hi), typ = rnd.choices(CLIENTS, client_w)[0]
                if rnd.random() < 0.6:  # a PayPal invoice paid; otherwise money simply sent
                    invoice_no += 1
                    invoice, item = "INV-%d" % invoice_no, "Invoice %d" % invoice_no
                else:
                    invoice, item = "", ""
                fee_paid = rnd.random() < 0.92
            else:
                name, cur, _, (lo, hi) = rnd.choices(PLATFORMS, platform_w)[0]
                typ, invoice, item = "Mass Pay Payment", "", "Study reward" if cur == "GBP" else "Tasks"
                fee_paid = rnd.random() < 0.75
            gross = major(cur, lo, hi)
            bp, fixed = FEES[cur]
            pct = (gross * bp + 5000) // 10000 if fee_paid else 0
            fee = -(pct + fixed) if fee_paid else 0
            if fee_paid and typ == "Mass Pay Payment":
                pct, fee = (gross * 200 + 5000) // 10000, -((gross * 200 + 5000) // 10000)  # 2%, no fixed fee
            rid, f = add(t, name, typ, cur, gross, fee, item=item, invoice=invoice)
            recent.append([len(lines) - 1, f, pct, gross])
            if len(recent) > 400:
                del recent[:200]
            if rnd.random() < 0.012 and left >= 3:
                # PayPal holds the payment for a few days, then releases it.
                held = gross + fee
                add(t, "PayPal", "Payment Hold", cur, -held, 0, ref=rid)
                due = skip_repeated_hour(t + rnd.randrange(86400, 4 * 86400))
                heapq.heappush(releases, (due, counter, cur, held, rid, name))
        elif r < 0.815:
            # A payment sent.
            name, cur, typ, (lo, hi), item = SPENDING[rnd.randrange(len(SPENDING))]
            amt = major(cur, lo, hi)
            if balance[cur] < amt:
                continue
            add(t, name, typ, cur, -amt, 0, item=item)
        elif r < 0.90:
            # A currency conversion: foreign balances to EUR, now and then EUR to USD or GBP.
            if rnd.random() < 0.82:
                src = rnd.choice(("USD", "USD", "GBP", "GBP", "JPY"))
                dst = HOME
            else:
                src, dst = HOME, rnd.choice(("USD", "GBP"))
            if balance[src] < 10 ** DECIMALS[src] * 5:
                continue
            amount = balance[src] * rnd.randrange(30, 101) // 100
            rate = RATE_PPM[(src, dst)] * (1_000_000 + rnd.randrange(-40000, 40001)) // 1_000_000
            rate = rate * (1_000_000 - SPREAD_PPM) // 1_000_000
            got = amount * rate * 10 ** DECIMALS[dst] // (10 ** DECIMALS[src] * 1_000_000)
            if got <= 0:
                continue
            first, _ = add(t, "", "General Currency Conversion", src, -amount, 0)
            add(t, "", "General Currency Conversion", dst, got, 0, ref=first)
        elif r < 0.94:
            # A withdrawal to the bank account in that currency.
            cur = HOME if rnd.random() < 0.85 else rnd.choice(("USD", "GBP"))
            amt = balance[cur] * rnd.randrange(50, 101) // 100
            if rnd.random() < 0.5:
                amt -= amt % 10000
            if amt <= 0:
                continue
            add(t, "", "General Withdrawal", cur, -amt, 0, item="To " + BANKS[cur])
        elif r < 0.963:
            # A refund of an earlier payment received, in full or in part.
            if not recent:
                continue
            k = rnd.randrange(len(recent))
            index, orig, pct, gross = recent[k]
            cur = orig[CUR]
            amt = gross if rnd.random() < 0.6 else gross * rnd.randrange(10, 91) // 100
            back = (pct * amt + gross // 2) // gross  # the percentage fee, pro rata; the fixed fee stays
            if amt <= 0 or balance[cur] < amt - back:
                continue
            del recent[k]
            add(t, orig[NAME], "Payment Refund", cur, -amt, back, item="Refund " + (orig[ITEM] or "payment"),
                ref=orig[TXN], invoice=orig[INVOICE])
            orig[STATUS] = "Refunded" if amt == gross else "Partially Refunded"
            lines[index] = render(orig)
        else:
            # A money request sent to a client: a memo, the balance does not move.
            name, cur, _, (lo, hi), _ = rnd.choices(CLIENTS, client_w)[0]
            invoice_no += 1
            add(t, name, "Request Sent", cur, major(cur, lo, hi), 0, item="Invoice %d" % invoice_no,
                invoice="INV-%d" % invoice_no, status="Pending", memo=True)
    del lines[a.rows:]
    return lines


def write(a, lines):
    if not a.oldest_first:
        lines.reverse()
    head = '"' + '","'.join(HEADER) + '"\n'
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write(head)
        for k in range(0, len(lines), 65536):
            f.write("\n".join(lines[k:k + 65536]))
            f.write("\n")
    size = os.path.getsize(a.out)
    rows = max(1, len(lines))
    print("wrote %d rows to %s: %d columns, %d bytes, %.1f bytes/row on average (header excluded)"
          % (len(lines), a.out, len(HEADER), size, (size - len(head.encode())) / rows), file=sys.stderr)


def _key(r):
    d = r[DATE]
    return d[6:10], d[3:5], d[0:2], r[TIME]


def _rows_newest_first(f):
    reader = csv.reader(f)
    assert next(reader) == HEADER
    head = []
    for r in reader:  # up to the first row at another time than the first
        head.append(r)
        if _key(r) != _key(head[0]):
            break
    if _key(head[0]) < _key(head[-1]) if head else False:
        # An oldest-first file (--oldest-first) is read whole and turned round.
        yield from reversed(head + list(reader))
        return
    yield from head
    yield from reader


def check(path):
    """Re-reads a written file and asserts: Net = Gross + Fee, unique 17-character IDs, rows in date
    order, every currency's Balance chaining (newest first) down to an opening balance of zero, memo
    rows not moving it, every conversion pair referenced one way (the second leg names the first,
    the first names nothing), and every refund, hold and release naming a row of the file."""
    expected = {}       # per currency: the Balance the next older row must show
    ids = set()
    conv = {}           # first-leg ID → (currency, out?, time) of the second leg naming it
    refunds = {}        # payment ID → (currency, refunded, fee returned)
    held = set()        # payment IDs named by holds and releases
    n = legs = 0
    kinds = {}
    last = None
    with open(path, encoding="utf-8", newline="") as f:
        for r in _rows_newest_first(f):
            n += 1
            assert len(r) == len(HEADER), r
            k = _key(r)
            assert last is None or k <= last, ("rows out of date order", r)
            last = k
            rid, cur, typ = r[TXN], r[CUR], r[TYPE]
            kinds[typ] = kinds.get(typ, 0) + 1
            assert len(rid) == 17 and rid not in ids, ("Transaction ID", r)
            ids.add(rid)
            gross, fee, net, bal = (parse_money(r[c], cur) for c in (GROSS, FEE, NET, BALANCE))
            assert net == gross + fee, ("Net is not Gross + Fee", r)
            if r[IMPACT] == "Memo":
                assert expected.setdefault(cur, bal) == bal, ("a memo row moved the balance", r)
            else:
                assert r[IMPACT] == ("Credit" if net >= 0 else "Debit"), r
                assert expected.setdefault(cur, bal) == bal, ("balance does not chain", expected[cur], r)
                expected[cur] = bal - net
            if typ == "General Currency Conversion":
                legs += 1
                if r[REF]:
                    assert r[REF] not in conv, ("two legs name the same first leg", r)
                    conv[r[REF]] = (cur, net < 0, k)
                else:
                    assert rid in conv, ("a first conversion leg that no second leg names", r)
                    ocur, oout, ok = conv.pop(rid)
                    assert ocur != cur and oout != (net < 0) and ok == k, ("conversion legs do not match", r)
            elif typ == "Payment Refund":
                assert r[REF] not in refunds, r
                refunds[r[REF]] = (cur, -gross, fee)
            elif typ in ("Payment Hold", "Payment Release"):
                held.add(r[REF])
            if rid in refunds:
                rcur, amount, back = refunds.pop(rid)
                assert rcur == cur and 0 < amount <= gross and 0 <= back <= -fee, ("refund does not fit", r)
                assert r[STATUS] == ("Refunded" if amount == gross else "Partially Refunded"), r
            held.discard(rid)
    assert not conv, ("second conversion legs naming no first leg in the file", list(conv)[:3])
    assert not refunds and not held, ("references to rows not in the file", list(refunds)[:3], list(held)[:3])
    assert all(v == 0 for v in expected.values()), ("opening balances are not zero", expected)
    assert last is None or int(last[2]) > 12, "the oldest date should say day-first"
    share = legs / max(1, n)
    assert n < 1000 or share >= 0.10, "only %.1f%% of the rows are conversion legs" % (100 * share)
    print("check %s: %d rows, every balance chains to zero, %d conversion legs (%.1f%%) paired one way; %s"
          % (path, n, legs, 100 * share, ", ".join("%s %d" % kv for kv in sorted(kinds.items(), key=lambda kv: -kv[1]))),
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, help="rows to write; without it, --check only verifies --out")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--oldest-first", action="store_true")
    ap.add_argument("--start", default="2020-01-13", help="the first day, YYYY-MM-DD (day of the month above 12)")
    ap.add_argument("--check", action="store_true", help="re-read the file and verify balances and conversion references")
    a = ap.parse_args()
    if a.rows is None:
        if not a.check:
            ap.error("--rows is required unless --check verifies an existing file")
        check(a.out)
        return
    write(a, generate(a))
    if a.check:
        check(a.out)


if __name__ == "__main__":
    main()
