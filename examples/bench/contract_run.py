#!/usr/bin/env python3
"""The peer of `bench-contract`: a portfolio of contracts driven day by day in plain Python, as
a user would otherwise write it (there is no Python library for contract lifecycles), with
the rules of `itsm_contract` (docs/contract.md) under the policy the benchmark writes:

- create: a number; purchase agreements and NDAs with a vendor, a start and an end; a
  discount on purchase agreements only, 0 to 99; the end not before the start; amounts within
  +-10^18, tax rates at most 100 %; assets with ids, costs and residual costs of 0 or more,
  unique; users unique; rate cards named, unique, within the contract's dates (none starting
  after its end), over covered assets (by asset) or users (per user) only, each listed once.
  A draft awaiting review;
- edit (a draft awaiting review or rejected; something changes; no payment amount with rate
  cards; dates in order and, when they change, around the cards); submit (a draft awaiting review or rejected,
  with an approver, its end not passed; or a saved renewal or extension); approve and reject
  (what is under review, by its approver); approving runs the condition checks at once
  (activation, a renewal due unless charges before it wait, reactivation, expiry), an
  approved extension moves the end at once;
- renew (active or expired; nothing under review or approved; a percentage of -100 % to
  +1000 % or an amount, not both; the renewal after the contract's start, or after its
  creation day when it has none); extend (active or expired; later than the current end);
  adjust (active; dates in order, a new start before a renewal under way; the cards'
  dates not checked: the adjusted term bounds their charges); cancel (active: rate cards
  stop);
  cover, uncover, add and remove users, add rate cards (not canceled), deactivate cards;
- the spec's assets and users are covered from the contract's start (from its creation when
  it starts later or has none); covering and uncovering are dated;
- the costs (total, cost per asset) count the active rate cards only (a canceled contract's
  are inactive); projections are from the active cards of a draft or active contract;
- the daily job: an approved draft activated on its start date; an approved renewal on its
  start date renews the contract in place (after the charges before it, at the old prices;
  an active contract whose expiry day came before the renewal's start expires first; a
  percentage on the payment amount and on each active card's base cost, an amount on the
  payment amount without active cards, else split evenly over them, extra units to the
  first; an expired contract is then active again, the expiry rule running after), an
  expired contract whose term includes today active again; the latest reminder
  due (90, 60, 30 days before the end and on the day) once; expiry on the end date; every
  charge date of the active cards up to today and to the card's end (its own or the
  contract's) charged: dates before the contract's start pass without a charge; a charge's
  lines split over what is covered that day (evenly: extra units to the first lines; by
  value: each rounded down, the rest to the largest remainders, the first on a tie; none
  covered: one line on the contract); tax rounded half away from zero on hundredths of a
  percent; at most max_lines_per_tick lines a run (a passed date counts one), the rest at
  once in another run;
- next_deadline: an approved draft's start (or creation day); an active or expired
  contract's approved renewal start, an active one's end and reminders not yet sent, each
  active card's next charge date within its end.

Each step is done in place on plain objects; what the crate would record as events is counted
by type, and the expense lines are made (asset or user, amount) as the job generates them.

Input: the workload `bench-contract` writes (a JSON header with the first day, the days, the
policy and the actors; then one line per command: day, contract, actor and the command in the
crate's JSON, tab-separated). The commands are parsed before the clock starts. Each
repetition runs the days in order on a fresh portfolio: each day the users' commands, then
the job for every contract whose next deadline has come (again at once while its deadline
is today). Prints the median milliseconds (wall clock and thread CPU) and a summary line that
must equal the Rust one. The garbage collector is off while timing.

Usage: python3 contract_run.py WORKLOAD.tsv REPETITIONS
"""

import gc
import json
import statistics
import sys
import time
from datetime import date

MAX_AMOUNT = 1_000_000_000_000_000
MAX_COVERED = 5_000_000
MAX_RATE_CARDS = 10_000
PERCENT = (-10_000, 100_000)
MAX_RATE = 10_000

EVENTS = ("created", "edited", "requested", "submitted", "approved", "rejected", "activated",
          "renewed", "extended", "adjusted", "expired", "canceled", "reminded", "charged",
          "passed", "covered", "uncovered", "user_added", "user_removed", "rate_card_added",
          "rate_card_deactivated")
(CREATED, EDITED, REQUESTED, SUBMITTED, APPROVED, REJECTED, ACTIVATED, RENEWED, EXTENDED,
 ADJUSTED, EXPIRED, CANCELED, REMINDED, CHARGED, PASSED, COVERED, UNCOVERED, USER_ADDED,
 USER_REMOVED, CARD_ADDED, CARD_DEACTIVATED) = range(21)

# Statuses, substates, reviews, stages.
DRAFT, ACTIVE, EXPIRED_S, CANCELED_S = range(4)
(S_NONE, S_AWAITING, S_UNDER, S_APPROVED, S_REJECTED, S_REN_APPROVED, S_REN_REJECTED,
 S_EXT_APPROVED, S_EXT_REJECTED) = range(9)
R_CONTRACT, R_RENEWAL, R_EXTENSION = range(3)
G_SAVED, G_UNDER, G_APPROVED = range(3)

INTERVALS = {"daily": 0, "weekly": 1, "monthly": 2, "quarterly": 3, "semi_annually": 4,
             "annually": 5}
MONTHS = (0, 0, 1, 3, 6, 12)
PER_YEAR = (365, 52, 12, 4, 2, 1)
D_CONTRACT, D_PER_ASSET, D_COST, D_RESIDUAL, D_PER_USER = range(5)
DISTRIBUTE = {"contract": D_CONTRACT, "per_asset": D_PER_ASSET, "asset_cost": D_COST,
              "asset_residual": D_RESIDUAL, "per_user": D_PER_USER}
DAYS_IN = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


# ---------------------------------------------------------------------------------------
# Money: exact, in minor units.

I64 = (-(1 << 63), (1 << 63) - 1)


def clamp(v):
    """Within +-MAX_AMOUNT (a renewal's adjusted prices)."""
    return MAX_AMOUNT if v > MAX_AMOUNT else -MAX_AMOUNT if v < -MAX_AMOUNT else v


def saturate(v):
    """Within i64 (sums: totals, lifetime costs), saturating at its ends."""
    return I64[1] if v > I64[1] else I64[0] if v < I64[0] else v


def scaled(value, numerator, denominator):
    """value * numerator / denominator, rounded half away from zero."""
    p = value * numerator
    q, r = divmod(abs(p), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if p >= 0 else -q


def tax(base, rate):
    return 0 if rate is None else saturate(scaled(base, rate, 10_000))


def with_tax(base, rate):
    return saturate(base + tax(base, rate))


def adjust_percent(amount, percent):
    return clamp(amount + scaled(amount, percent, 10_000))


def split_even(total, n):
    share, extra = divmod(total, n)
    return [share + 1] * extra + [share] * (n - extra)


def split_by(total, weights):
    weights = [w if w > 0 else 0 for w in weights]
    s = sum(weights)
    if s == 0:
        return split_even(total, len(weights))
    pieces, rems = [], []
    given = 0
    for i, w in enumerate(weights):
        q, r = divmod(total * w, s)
        given += q
        pieces.append(q)
        rems.append((-r, i))
    left = total - given
    if left:
        rems.sort()
        for _, i in rems[:left]:
            pieces[i] += 1
    return [saturate(p) for p in pieces]


# ---------------------------------------------------------------------------------------
# Dates as proleptic ordinals.

def ordinal(text):
    return None if text is None else date.fromisoformat(text).toordinal()


def leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


# ---------------------------------------------------------------------------------------
# The records.

class CardSpec:
    __slots__ = ("name", "start", "end", "interval", "base", "tax", "dist", "assets", "users")

    def __init__(self, j):
        self.name = j["name"]
        self.start = ordinal(j["start"])
        self.end = ordinal(j.get("end"))
        self.interval = INTERVALS[j["interval"]]
        self.base = j["base_cost"]
        self.tax = j.get("sales_tax")
        self.dist = DISTRIBUTE[j.get("distribute", "contract")]
        self.assets = j.get("assets", [])
        self.users = j.get("users", [])


class Card:
    __slots__ = ("name", "start", "end", "interval", "base", "tax", "total", "dist", "assets",
                 "users", "active", "processed", "last", "next", "y0", "m0", "d0")

    def __init__(self, s):
        self.name, self.start, self.end, self.interval = s.name, s.start, s.end, s.interval
        self.base, self.tax, self.dist = s.base, s.tax, s.dist
        self.total = with_tax(s.base, s.tax)
        self.assets, self.users = list(s.assets), list(s.users)
        self.active = True
        self.processed = 0
        self.last = None
        d = date.fromordinal(s.start)
        self.y0, self.m0, self.d0 = d.year, d.month - 1, d.day
        self.next = s.start

    def advance(self):
        """One charge date processed: the next one, counted from the start."""
        self.processed += 1
        n, iv = self.processed, self.interval
        if iv == 0:
            self.next = self.start + n
        elif iv == 1:
            self.next = self.start + 7 * n
        else:
            y, m = divmod(self.m0 + n * MONTHS[iv], 12)
            y += self.y0
            if y > 9999:
                self.next = None  # beyond this workload (chrono goes on to year 262,142)
                return
            dim = 29 if m == 1 and leap(y) else DAYS_IN[m]
            d = self.d0 if self.d0 <= dim else dim
            self.next = date(y, m + 1, d).toordinal()


class Spec:
    __slots__ = ("id", "number", "model", "vendor", "start", "end", "administrator",
                 "approver", "payment", "sales_tax", "discount", "assets", "users", "cards")

    def __init__(self, cid, j):
        self.id = cid
        self.number = j["number"]
        self.model = j["model"]
        self.vendor = j.get("vendor")
        self.start = ordinal(j.get("start"))
        self.end = ordinal(j.get("end"))
        self.administrator = j.get("administrator")
        self.approver = j.get("approver")
        self.payment = j.get("payment_amount", 0)
        self.sales_tax = j.get("sales_tax")
        self.discount = j.get("discount")
        self.assets = [(a["id"], a.get("cost", 0), a.get("residual", 0))
                       for a in j.get("assets", [])]
        self.users = j.get("users", [])
        self.cards = [CardSpec(c) for c in j.get("rate_cards", [])]


class Request:
    __slots__ = ("review", "approver", "start", "end", "percent", "amount", "stage")

    def __init__(self, review, approver, start, end, percent, amount):
        self.review, self.approver, self.start, self.end = review, approver, start, end
        self.percent, self.amount, self.stage = percent, amount, G_SAVED


class Contract:
    __slots__ = ("id", "number", "start", "end", "administrator", "approver", "payment",
                 "sales_tax", "status", "substate", "request", "assets", "by_asset", "users",
                 "by_user", "cards", "history", "reminded", "lifetime", "lines", "created")

    def __init__(self, s, today):
        self.id, self.number = s.id, s.number
        self.start, self.end = s.start, s.end
        self.administrator, self.approver = s.administrator, s.approver
        self.payment, self.sales_tax = s.payment, s.sales_tax
        self.status, self.substate, self.request = DRAFT, S_AWAITING, None
        # Coverage entries: [id, cost, residual, added, removed] and [user, added, removed];
        # the spec's from the contract's start (its creation when it starts later or has
        # none).
        since = today if s.start is None else min(s.start, today)
        self.assets, self.by_asset = [], {}
        for a, cost, residual in s.assets:
            e = [a, cost, residual, since, None]
            self.assets.append(e)
            self.by_asset.setdefault(a, []).append(e)
        self.users, self.by_user = [], {}
        for u in s.users:
            e = [u, since, None]
            self.users.append(e)
            self.by_user.setdefault(u, []).append(e)
        self.cards = [Card(c) for c in s.cards]
        self.history = 0
        self.reminded = None
        self.lifetime = 0
        self.lines = 0
        self.created = today

    def covered(self, asset):
        return any(e[4] is None for e in self.by_asset.get(asset, ()))

    def user_covered(self, user):
        return any(e[2] is None for e in self.by_user.get(user, ()))

    def total_cost(self):
        """The payment amount with its tax or, with rate cards, the active cards' charges
        with tax (deactivated cards and a canceled contract's count nothing)."""
        if not self.cards:
            return with_tax(self.payment, self.sales_tax)
        return saturate(sum(c.total for c in self.cards if c.active))

    def tax_cost(self):
        """The tax on the payment amount or, with rate cards, on the active cards' bases."""
        if not self.cards:
            return tax(self.payment, self.sales_tax)
        return saturate(sum(tax(c.base, c.tax) for c in self.cards if c.active))

    def shown_payment(self):
        """The payment amount shown: with rate cards, the active cards' base costs."""
        if not self.cards:
            return self.payment
        return saturate(sum(c.base for c in self.cards if c.active))

    def projected(self):
        """From the active cards of a draft or active contract (an expired or canceled one
        projects nothing)."""
        if self.status not in (DRAFT, ACTIVE):
            return 0, 0
        annual = sum(c.total * PER_YEAR[c.interval] for c in self.cards if c.active)
        return saturate(scaled(annual, 1, 12)), saturate(annual)

    def cost_per_asset(self):
        count = sum(1 for e in self.assets if e[4] is None)
        if count == 0:
            return None
        return saturate(scaled(self.total_cost(), 1, count))

    def expiration_level(self, today, reminders):
        if self.status != ACTIVE or self.end is None:
            return None
        reached = [d for d in reminders if self.end - d <= today]
        return min(reached) if reached else None


# ---------------------------------------------------------------------------------------
# The checks.

def check_card(card, start, end, covered, user_covered):
    """`covered(asset)` and `user_covered(user)`: whether the contract covers them."""
    if not card.name.strip():
        return False
    if card.end is not None and card.end < card.start:
        return False
    if start is not None and card.start < start:
        return False
    if end is not None and card.start > end:
        return False
    if card.end is not None and end is not None and card.end > end:
        return False
    if abs(card.base) > MAX_AMOUNT or (card.tax is not None and card.tax > MAX_RATE):
        return False
    if card.dist in (D_PER_ASSET, D_COST, D_RESIDUAL):
        if not card.assets or card.users:
            return False
    elif card.dist == D_PER_USER:
        if not card.users or card.assets:
            return False
    elif card.assets or card.users:
        return False
    if not all(map(covered, card.assets)) or len(set(card.assets)) != len(card.assets):
        return False
    if not all(map(user_covered, card.users)) or len(set(card.users)) != len(card.users):
        return False
    return True


def check_asset(a, cost, residual):
    return bool(a.strip()) and 0 <= cost <= MAX_AMOUNT and 0 <= residual <= MAX_AMOUNT


def check_spec(s):
    if not s.number.strip():
        return False
    if s.start is not None and s.end is not None and s.end < s.start:
        return False
    if s.model in ("purchase_agreement", "nda"):
        if s.vendor is None or not s.vendor.strip() or s.start is None or s.end is None:
            return False
    if s.discount is not None and (s.model != "purchase_agreement" or s.discount > 99):
        return False
    if abs(s.payment) > MAX_AMOUNT or (s.sales_tax is not None and s.sales_tax > MAX_RATE):
        return False
    if len(s.assets) > MAX_COVERED or len(s.users) > MAX_COVERED:
        return False
    if len(s.cards) > MAX_RATE_CARDS:
        return False
    ids = set()
    for a, cost, residual in s.assets:
        if not check_asset(a, cost, residual) or a in ids:
            return False
        ids.add(a)
    users = set(s.users)
    if len(users) != len(s.users):
        return False
    names = set()
    for c in s.cards:
        if not check_card(c, s.start, s.end, ids.__contains__, users.__contains__) \
                or c.name in names:
            return False
        names.add(c.name)
    return True


# ---------------------------------------------------------------------------------------
# The portfolio.

class Portfolio:
    def __init__(self, n, policy, actors):
        self.contracts = [None] * n
        self.managers = set(policy["managers"])
        self.finance = set(policy["finance"])
        self.approver_only = policy["approver_only"]
        self.reminders = list(policy["reminders"])
        self.after_end = policy["expiry"] == "after_end_date"
        self.cancel_drafts = policy["cancel_drafts"]
        self.max_lines = policy["max_lines_per_tick"]
        self.actors = [(a["user"], set(a["roles"])) for a in actors]
        self.ev = [0] * len(EVENTS)
        self.today = 0
        self.budget = 0
        self.produced = 0
        self.fallbacks = 0

    def emit(self, kind):
        self.ev[kind] += 1
        self.produced += 1

    def is_manager(self, actor):
        return not self.managers.isdisjoint(actor[1])

    def may_approve(self, actor, approver):
        """The approver decides; with approver_only off, any manager too."""
        if actor[0] == approver:
            return True
        return not self.approver_only and self.is_manager(actor)

    # The commands. Each returns whether it was accepted; a refused one changes nothing.

    def create(self, k, actor, spec):
        if self.contracts[k] is not None or not self.is_manager(actor) or not check_spec(spec):
            return False
        self.contracts[k] = Contract(spec, self.today)
        self.emit(CREATED)
        return True

    def edit_checks(self, c, start, end, payment, approver=None, administrator=None):
        if start is None and end is None and payment is None and approver is None \
                and administrator is None:
            return False
        if payment is not None and (c.cards or abs(payment) > MAX_AMOUNT):
            return False
        new_start = start
        changes_dates = start is not None or end is not None
        start = c.start if start is None else start
        end = c.end if end is None else end
        if start is not None and end is not None and end < start:
            return False
        # A renewal under way still starts after the contract.
        r = c.request
        if new_start is not None and r is not None and r.start is not None \
                and r.start <= new_start:
            return False
        # A draft's rate cards stay within its dates; an active contract's adjusted term
        # bounds its cards' charges instead.
        if c.status != DRAFT or not changes_dates:
            return True
        for card in c.cards:
            if start is not None and card.start < start:
                return False
            if card.end is not None and end is not None and card.end > end:
                return False
            # docs/contract.md: "A card may not start after the contract's end". The crate
            # (955b8d8) does not check this here: a draft's Edit may move the end before an
            # open-ended card's start, which create and add_rate_card refuse. The workload's
            # draft edits only move the end later, so the summaries agree either way.
            if end is not None and card.start > end:
                return False
        return True

    def edit(self, c, actor, arg):
        start, end, payment, approver, administrator = arg
        if not self.is_manager(actor) or c.status != DRAFT \
                or c.substate not in (S_AWAITING, S_REJECTED):
            return False
        if not self.edit_checks(c, start, end, payment, approver, administrator):
            return False
        if start is not None:
            c.start = start
        if end is not None and end != c.end:
            c.end = end
            c.reminded = None
        if payment is not None:
            c.payment = payment
        if approver is not None:
            c.approver = approver
        if administrator is not None:
            c.administrator = administrator
        self.emit(EDITED)
        return True

    def submit(self, c, actor, approver):
        if not self.is_manager(actor):
            return False
        if c.status == DRAFT and c.substate in (S_AWAITING, S_REJECTED):
            approver = approver if approver is not None else c.approver
            if approver is None or (c.end is not None and c.end < self.today):
                return False
            c.substate = S_UNDER
            c.approver = approver
            self.emit(SUBMITTED)
            return True
        r = c.request
        if r is not None and r.stage == G_SAVED:
            c.substate = S_UNDER
            if approver is not None:
                r.approver = approver
            r.stage = G_UNDER
            self.emit(SUBMITTED)
            return True
        return False

    def under_review(self, c):
        if c.status == DRAFT and c.substate == S_UNDER:
            return None if c.approver is None else (R_CONTRACT, c.approver)
        r = c.request
        if r is not None and r.stage == G_UNDER:
            return r.review, r.approver
        return None

    def reject(self, c, actor, comments):
        under = self.under_review(c)
        if under is None or not comments.strip() or not self.may_approve(actor, under[1]):
            return False
        review = under[0]
        if review == R_CONTRACT:
            c.substate = S_REJECTED
        elif review == R_RENEWAL:
            c.substate = S_REN_REJECTED
            c.request = None
        else:
            c.substate = S_EXT_REJECTED
            c.request = None
        self.emit(REJECTED)
        return True

    def approve(self, c, actor):
        under = self.under_review(c)
        if under is None or not self.may_approve(actor, under[1]):
            return False
        review = under[0]
        self.emit(APPROVED)
        if review == R_CONTRACT:
            c.substate = S_APPROVED
        elif review == R_RENEWAL:
            c.substate = S_REN_APPROVED
            c.request.stage = G_APPROVED
        else:
            c.substate = S_EXT_APPROVED
            if c.request is not None:
                c.history += 1
                if c.end != c.request.end:
                    c.reminded = None
                c.end = c.request.end
                c.request = None
                self.emit(EXTENDED)
        self.follow_ups(c)
        return True

    def in_flight(self, c):
        return c.request is not None and c.request.stage != G_SAVED

    def requested(self, c, request, submit):
        c.request = request
        c.substate = S_AWAITING
        self.emit(REQUESTED)
        if submit:
            c.substate = S_UNDER
            request.stage = G_UNDER
            self.emit(SUBMITTED)
        return True

    def renew(self, c, actor, arg):
        approver, start, end, percent, amount, submit = arg
        if not self.is_manager(actor) or c.status not in (ACTIVE, EXPIRED_S) or self.in_flight(c):
            return False
        if percent is not None and amount is not None:
            return False
        if percent is not None and not PERCENT[0] <= percent <= PERCENT[1]:
            return False
        if amount is not None and abs(amount) > MAX_AMOUNT:
            return False
        # After the contract's start (a contract without one: after its creation).
        if end < start or start <= (c.created if c.start is None else c.start):
            return False
        approver = approver if approver is not None else c.approver
        if approver is None:
            return False
        return self.requested(c, Request(R_RENEWAL, approver, start, end, percent, amount),
                              submit)

    def extend(self, c, actor, arg):
        end, approver, submit = arg
        if not self.is_manager(actor) or c.status not in (ACTIVE, EXPIRED_S) or self.in_flight(c):
            return False
        if c.end is None or end <= c.end:
            return False
        approver = approver if approver is not None else c.approver
        if approver is None:
            return False
        return self.requested(c, Request(R_EXTENSION, approver, None, end, None, None), submit)

    def adjust(self, c, actor, arg):
        start, end, payment = arg
        if not self.is_manager(actor) or c.status != ACTIVE:
            return False
        if not self.edit_checks(c, start, end, payment):
            return False
        start = c.start if start is None else start
        end = c.end if end is None else end
        if (start, end) != (c.start, c.end):
            c.history += 1
        if end != c.end:
            c.reminded = None
        c.start, c.end = start, end
        if payment is not None:
            c.payment = payment
        self.emit(ADJUSTED)
        self.follow_ups(c)
        return True

    def cancel(self, c, actor):
        if not self.is_manager(actor):
            return False
        if not (c.status == ACTIVE or (self.cancel_drafts and c.status == DRAFT)):
            return False
        c.status, c.substate, c.request = CANCELED_S, S_NONE, None
        for card in c.cards:
            card.active = False
        self.emit(CANCELED)
        return True

    def cover(self, c, actor, arg):
        a, cost, residual = arg
        if not self.is_manager(actor) or c.status == CANCELED_S:
            return False
        if not check_asset(a, cost, residual) or c.covered(a) or len(c.assets) + 1 > MAX_COVERED:
            return False
        e = [a, cost, residual, self.today, None]
        c.assets.append(e)
        c.by_asset.setdefault(a, []).append(e)
        self.emit(COVERED)
        return True

    def uncover(self, c, actor, a):
        if not self.is_manager(actor) or c.status == CANCELED_S:
            return False
        for e in c.by_asset.get(a, ()):
            if e[4] is None:
                e[4] = self.today
                self.emit(UNCOVERED)
                return True
        return False

    def add_user(self, c, actor, u):
        if not self.is_manager(actor) or c.status == CANCELED_S:
            return False
        if c.user_covered(u) or len(c.users) + 1 > MAX_COVERED:
            return False
        e = [u, self.today, None]
        c.users.append(e)
        c.by_user.setdefault(u, []).append(e)
        self.emit(USER_ADDED)
        return True

    def remove_user(self, c, actor, u):
        if not self.is_manager(actor) or c.status == CANCELED_S:
            return False
        for e in c.by_user.get(u, ()):
            if e[2] is None:
                e[2] = self.today
                self.emit(USER_REMOVED)
                return True
        return False

    def add_card(self, c, actor, spec):
        if (not self.is_manager(actor) and self.finance.isdisjoint(actor[1])) \
                or c.status == CANCELED_S:
            return False
        if not check_card(spec, c.start, c.end, c.covered, c.user_covered):
            return False
        if any(card.name == spec.name for card in c.cards) or len(c.cards) + 1 > MAX_RATE_CARDS:
            return False
        c.cards.append(Card(spec))
        self.emit(CARD_ADDED)
        return True

    def deactivate(self, c, actor, name):
        if not self.is_manager(actor) and self.finance.isdisjoint(actor[1]):
            return False
        for card in c.cards:
            if card.name == name:
                if not card.active:
                    return False
                card.active = False
                self.emit(CARD_DEACTIVATED)
                return True
        return False

    # The daily job.

    def expired_by(self, end, today):
        return today > end if self.after_end else today >= end

    def activate(self, c):
        if c.status == DRAFT and c.substate == S_APPROVED \
                and (c.start is None or c.start <= self.today):
            c.status = ACTIVE
            c.substate = S_NONE
            self.emit(ACTIVATED)

    def reactivate(self, c):
        if c.status == EXPIRED_S and (c.end is None or not self.expired_by(c.end, self.today)):
            c.status = ACTIVE
            if c.substate == S_APPROVED:
                c.substate = S_NONE
            self.emit(ACTIVATED)

    def expire(self, c):
        if c.status == ACTIVE and c.end is not None and self.expired_by(c.end, self.today):
            self.expired(c)

    def expired(self, c):
        c.status = EXPIRED_S
        # A renewal or extension under way keeps its substate; none else stays.
        if c.request is None:
            c.substate = S_NONE
        self.emit(EXPIRED)

    def remind(self, c):
        end = c.end
        if end is None or c.status != ACTIVE or self.today > end:
            return
        due = None
        for d in self.reminders:
            if end - d <= self.today and (due is None or d < due):
                due = d
        if due is not None and (c.reminded is None or due < c.reminded):
            c.reminded = due
            self.emit(REMINDED)

    def charges_due(self, c, up_to):
        if c.status not in (ACTIVE, EXPIRED_S):
            return False
        for card in c.cards:
            n = card.next
            if card.active and n is not None and n <= up_to:
                e = card.end if c.end is None else c.end if card.end is None \
                    else min(card.end, c.end)
                if e is None or n <= e:
                    return True
        return False

    def charge(self, c, up_to):
        """Every charge date up to `up_to` within the budget; whether all were charged."""
        if c.status not in (ACTIVE, EXPIRED_S):
            return True
        for card in c.cards:
            if not card.active:
                continue
            end = card.end if c.end is None else c.end if card.end is None \
                else min(card.end, c.end)
            while True:
                day = card.next
                if day is None or day > up_to or (end is not None and day > end):
                    break
                if self.budget == 0:
                    return False
                if c.start is not None and day < c.start:
                    self.budget -= 1
                    card.advance()
                    self.emit(PASSED)
                    continue
                lines = self.lines(c, card, day)
                self.budget = max(0, self.budget - len(lines))
                card.advance()
                card.last = day
                c.lifetime = saturate(c.lifetime + sum(line[2] for line in lines))
                c.lines += len(lines)
                self.emit(CHARGED)
        return True

    def lines(self, c, card, day):
        """The expense lines (asset, user, amount) of one charge of `card` on `day`."""
        total = card.total
        dist = card.dist
        if dist == D_CONTRACT:
            return [(None, None, total)]
        if dist == D_PER_USER:
            users = []
            for u in card.users:
                for e in c.by_user.get(u, ()):
                    if e[1] <= day and (e[2] is None or day < e[2]):
                        users.append(u)
                        break
            if not users:
                self.fallbacks += 1
                return [(None, None, total)]
            return [(None, u, a) for u, a in zip(users, split_even(total, len(users)))]
        picked = []
        for a in card.assets:
            for e in c.by_asset.get(a, ()):
                if e[3] <= day and (e[4] is None or day < e[4]):
                    picked.append(e)
                    break
        if not picked:
            self.fallbacks += 1
            return [(None, None, total)]
        if dist == D_COST:
            amounts = split_by(total, [e[1] for e in picked])
        elif dist == D_RESIDUAL:
            amounts = split_by(total, [e[2] for e in picked])
        else:
            amounts = split_even(total, len(picked))
        return [(e[0], None, a) for e, a in zip(picked, amounts)]

    def renew_due(self, c, charge):
        """An approved renewal on its start date, after the charges before it; false when
        charges before it wait."""
        r = c.request
        if r is None or r.review != R_RENEWAL or r.stage != G_APPROVED or r.start is None:
            return True
        if c.status not in (ACTIVE, EXPIRED_S) or r.start > self.today:
            return True
        before = r.start - 1
        if charge:
            if not self.charge(c, before):
                return False
        elif self.charges_due(c, before):
            return False
        # Expired on a day before the renewal took over (as a daily job would have seen).
        if c.status == ACTIVE and c.end is not None \
                and (c.end + 1 if self.after_end else c.end) < r.start:
            self.expired(c)
        percent, amount = r.percent, r.amount
        active = [card for card in c.cards if card.active]
        payment = c.payment
        if percent is not None:
            payment = adjust_percent(payment, percent)
            for card in active:
                card.base = adjust_percent(card.base, percent)
        if amount is not None:
            if not active:
                payment = clamp(payment + amount)
            else:
                for card, share in zip(active, split_even(amount, len(active))):
                    card.base = clamp(card.base + share)
        for card in active:
            card.total = with_tax(card.base, card.tax)
        c.history += 1
        if c.end != r.end:
            c.reminded = None
        c.start, c.end, c.payment = r.start, r.end, payment
        c.request = None
        c.substate = S_NONE
        self.emit(RENEWED)
        # The renewed term has started: in effect again (the expiry rule runs on it after).
        if c.status == EXPIRED_S:
            c.status = ACTIVE
            self.emit(ACTIVATED)
        return True

    def follow_ups(self, c):
        self.budget = self.max_lines
        self.activate(c)
        self.renew_due(c, False)
        self.reactivate(c)
        self.expire(c)

    def tick(self, c):
        self.budget = self.max_lines
        self.activate(c)
        if not self.renew_due(c, True):
            return
        self.reactivate(c)
        self.remind(c)
        self.expire(c)
        self.charge(c, self.today)

    def next_deadline(self, c):
        if c.status == DRAFT:
            if c.substate == S_APPROVED:
                return c.created if c.start is None else c.start
            return None
        if c.status == CANCELED_S:
            return None
        due = None
        r = c.request
        if r is not None and r.review == R_RENEWAL and r.stage == G_APPROVED \
                and r.start is not None:
            due = r.start
        end = c.end
        if end is not None and c.status == ACTIVE:
            x = end + 1 if self.after_end else end
            if due is None or x < due:
                due = x
            sent = c.reminded
            for d in self.reminders:
                if sent is None or d < sent:
                    x = end - d
                    if due is None or x < due:
                        due = x
        for card in c.cards:
            n = card.next
            if card.active and n is not None:
                e = card.end if end is None else end if card.end is None else min(card.end, end)
                if (e is None or n <= e) and (due is None or n < due):
                    due = n
        return due


# ---------------------------------------------------------------------------------------
# The host.

CREATE, EDIT, SUBMIT, APPROVE, REJECT, RENEW, EXTEND, ADJUST, CANCEL, COVER, UNCOVER, \
    ADD_USER, REMOVE_USER, ADD_CARD, DEACTIVATE = range(15)


def parse(j, k):
    """A command of the crate's JSON as (code, argument), its dates as ordinals."""
    kind = j["command"]
    if kind == "create":
        return CREATE, Spec(j["id"], j["spec"])
    if kind == "edit":
        e = j["edit"]
        return EDIT, (ordinal(e.get("start")), ordinal(e.get("end")), e.get("payment_amount"),
                      e.get("approver"), e.get("administrator"))
    if kind == "submit":
        return SUBMIT, j.get("approver")
    if kind == "approve":
        return APPROVE, None
    if kind == "reject":
        return REJECT, j["comments"]
    if kind == "renew":
        r = j["renewal"]
        return RENEW, (r.get("approver"), ordinal(r["start"]), ordinal(r["end"]),
                       r.get("percent"), r.get("amount"), r.get("submit", False))
    if kind == "extend":
        return EXTEND, (ordinal(j["end"]), j.get("approver"), j.get("submit", False))
    if kind == "adjust":
        return ADJUST, (ordinal(j.get("start")), ordinal(j.get("end")), j.get("payment_amount"))
    if kind == "cancel":
        return CANCEL, None
    if kind == "cover":
        a = j["asset"]
        return COVER, (a["id"], a.get("cost", 0), a.get("residual", 0))
    if kind == "uncover":
        return UNCOVER, j["asset"]
    if kind == "add_user":
        return ADD_USER, j["user"]
    if kind == "remove_user":
        return REMOVE_USER, j["user"]
    if kind == "add_rate_card":
        return ADD_CARD, CardSpec(j["card"])
    if kind == "deactivate_rate_card":
        return DEACTIVATE, j["card"]
    raise SystemExit(f"command {kind} of contract {k} is not in this peer")


def simulate(header, by_day):
    n, days, start = header["contracts"], header["days"], ordinal(header["start"])
    p = Portfolio(n, header["policy"], header["actors"])
    contracts = p.contracts
    at = [None] * n
    due = {}
    ticks = idle = stuck = accepted = refused = 0

    def schedule(k, day):
        if at[k] != day:
            at[k] = day
            if day is not None:
                due.setdefault(day, []).append(k)

    for d in range(days):
        today = start + d
        p.today = today
        for k, actor, code, arg in by_day[d]:
            c = contracts[k]
            actor = p.actors[actor]
            if code == CREATE:
                ok = p.create(k, actor, arg)
                c = contracts[k]
            elif c is None:
                ok = False
            elif code == APPROVE:
                ok = p.approve(c, actor)
            elif code == SUBMIT:
                ok = p.submit(c, actor, arg)
            elif code == REJECT:
                ok = p.reject(c, actor, arg)
            elif code == RENEW:
                ok = p.renew(c, actor, arg)
            elif code == EXTEND:
                ok = p.extend(c, actor, arg)
            elif code == EDIT:
                ok = p.edit(c, actor, arg)
            elif code == ADJUST:
                ok = p.adjust(c, actor, arg)
            elif code == CANCEL:
                ok = p.cancel(c, actor)
            elif code == COVER:
                ok = p.cover(c, actor, arg)
            elif code == UNCOVER:
                ok = p.uncover(c, actor, arg)
            elif code == ADD_USER:
                ok = p.add_user(c, actor, arg)
            elif code == REMOVE_USER:
                ok = p.remove_user(c, actor, arg)
            elif code == ADD_CARD:
                ok = p.add_card(c, actor, arg)
            else:
                ok = p.deactivate(c, actor, arg)
            if ok:
                accepted += 1
                nd = p.next_deadline(c)
                schedule(k, None if nd is None else max(nd, today))
            else:
                refused += 1
        for k in due.pop(today, ()):
            if at[k] != today:
                continue
            at[k] = None
            c = contracts[k]
            while True:
                ticks += 1
                p.produced = 0
                p.tick(c)
                nd = p.next_deadline(c)
                if nd is not None and nd <= today:
                    if p.produced == 0:
                        stuck += 1
                        schedule(k, today + 1)
                        break
                    continue
                if p.produced == 0:
                    idle += 1
                schedule(k, nd)
                break
    return p, (ticks, idle, stuck, accepted, refused)


def summary(p, counts, last_day):
    ticks, idle, stuck, accepted, refused = counts
    out = [f"ticks {ticks} idle_ticks {idle} stuck_ticks {stuck} accepted {accepted} "
           f"refused {refused} events {sum(p.ev)}"]
    out += [f"{name} {n}" for name, n in zip(EVENTS, p.ev)]
    statuses = [0] * 4
    levels = {d: 0 for d in p.reminders}
    lines = lifetime = total = taxes = shown = annual = monthly = per_asset = 0
    for c in p.contracts:
        if c is None:
            continue
        statuses[c.status] += 1
        lines += c.lines
        lifetime += c.lifetime
        total += c.total_cost()
        taxes += c.tax_cost()
        shown += c.shown_payment()
        m, a = c.projected()
        annual += a
        monthly += m
        per_asset += c.cost_per_asset() or 0
        level = c.expiration_level(last_day, p.reminders)
        if level is not None:
            levels[level] += 1
    out.append(f"lines {lines} fallback_charges {p.fallbacks} lifetime_cost {lifetime} "
               f"total_cost {total} tax_cost {taxes} payment_shown {shown} "
               f"projected_annual {annual} projected_monthly {monthly} cost_per_asset {per_asset}")
    out += [f"level_{d} {levels[d]}" for d in sorted(levels, reverse=True)]
    out.append(f"draft {statuses[0]} active {statuses[1]} expired {statuses[2]} "
               f"canceled {statuses[3]}")
    return " ".join(out)


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    with open(path) as f:
        header = json.loads(f.readline())
        by_day = [[] for _ in range(header["days"])]
        for line in f:
            day, k, actor, text = line.rstrip("\n").split("\t", 3)
            code, arg = parse(json.loads(text), k)
            by_day[int(day)].append((int(k), int(actor), code, arg))
    last_day = ordinal(header["start"]) + header["days"] - 1
    walls, cpus, line = [], [], None
    for _ in range(reps):
        gc.collect()
        gc.disable()
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        p, counts = simulate(header, by_day)
        walls.append((time.perf_counter() - wall0) * 1e3)
        cpus.append((time.thread_time() - cpu0) * 1e3)
        this = summary(p, counts, last_day)
        del p
        gc.enable()
        if line is not None and this != line:
            raise SystemExit(f"two runs disagree: {line} / {this}")
        line = this
    print(f"python run ms: {statistics.median(walls):.0f} (median of {reps}, min {min(walls):.0f}, "
          f"max {max(walls):.0f}; on CPU {statistics.median(cpus):.0f})")
    print(f"python summary: {line}")


if __name__ == "__main__":
    main()
