"""A small, hand-counted township for the indicator, workbook and dashboard tests.

Two villages of township 450102001 (Guangxi), statistical year 2019
(2018-10-01 .. 2019-09-30).  Every number the tests expect is counted by hand in the
comments below; rows are written through store.records like any other edit.

Village A 450102001201 (rural; quality pilot, self-governing):
  W1  married, no method.  Child 2014; twin boys born 2019-09-30 (orders 2 and 3,
      one delivery judged as the 2nd: compliant).  Postnatal visit 2019-10-05.
  W2  married, implant since 2010-06-15 (yearly follow-up due 2019-06-15, not done).
      Her first child, born 2019-10-01, belongs to statistical year 2020.
  W3  remarried 2016 to M3, who has two children (2006, 2009) with X: W3's son of
      2019-03-10 is the couple's 3rd, without approval: out of policy.  M3 sterilised
      2019-05-01, counted under W3 (user_id = M3); follow-ups due 2019-06-01 (visited
      2019-06-03) and 2019-08-01 (missed).
  X   divorced from M3 in 2014: not a married woman.
  W5  married; daughter 2019-02-01; hukou moved out (迁出) 2019-06-30 (counts her
      birth, not her);
      IUD since 2016-01-10, yearly follow-up 2019-01-10 done by an IUD check 2019-01-08.
  W8  married, born 1969-10-01: 49 on 2019-09-30, condom user.
  W9  married, born 1969-09-30: 50 on 2019-09-30, left out.
  W10 widowed in 2018: left out.
  W12 married, no method; second child (son) 2018-03-03 (last year).
  W13 married, IUD 2017-09-30 to 2019-09-30 (ended on the last day: not a user);
      second child (daughter) 2018-04-04 (last year).
Village B 450102001202 (urban community; self-governing, demonstration):
  W6  hukou moved in (迁入) 2019-03-01; her birth of 2018-12-01 was elsewhere.  IUD 2018-12-20:
      follow-ups due 2019-01-20 (before she came: not due here), 2019-03-20 and
      2019-06-20; visits 2019-03-18 (inside the 15-day window) and 2019-06-25: both
      done.  Gynecological exam 2019-05-05.
  W7  married, pill since 2018-01-01; daughter 2019-04-04 (1st), postnatal visit 04-10.
  W11 married, no method; first child 2016, daughter 2019-08-08 (2nd).
  W14 floating in (registered elsewhere), married, IUD: counted where registered.

Hand counts, township (A + B):
  births 6 (twins 2, W3, W5, W7, W11); A 4, B 2
  compliant 5 of 6; out-of-policy 3+: 1 of 6
  second births: twin boy, W11's daughter -> ratio 100; last year 1 boy, 1 girl -> 100
  married women 15-49: A W1 W2 W3 W8 W12 W13 = 6; B W6 W7 W11 = 3; total 9
  users: A W2(long) W3(long) W8(short); B W6(long) W7(short): 5, long 3, short 2
  follow-ups due 6, done 4 (A: W2 0/1, W3 1/2, W5 1/1; B: W6 2/2)
  gynecological exam: 1 of 9;  postnatal: 3 of 6 births (twins, W7)
  villages: pilot 1/2, self-governing rural 1/1, urban 1/1, demonstration 1/2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fpdesk.store import records
from fpdesk.store.db import Register

COUNTY = "450102000000"
TOWNSHIP = "450102001000"
VILLAGE_A = "450102001201"
VILLAGE_B = "450102001202"


@dataclass
class World:
    register: Register
    ids: dict[str, str] = field(default_factory=dict)
    households: dict[str, str] = field(default_factory=dict)
    _seq: int = 0

    def area(self, code: str, level: str, name: str, parent: str | None, **flags: int) -> None:
        with self.register.transaction() as conn:
            conn.execute(
                "INSERT INTO area_unit (code, parent_code, level, name, urban, quality_pilot,"
                " self_governance, demonstration) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    parent,
                    level,
                    name,
                    flags.get("urban", 0),
                    flags.get("pilot", 0),
                    flags.get("selfgov", 0),
                    flags.get("demo", 0),
                ),
            )

    def household(self, key: str, village: str) -> str:
        self._seq += 1
        hid = records.insert(
            self.register,
            "household",
            {
                "code": f"{village}01{self._seq:04d}",
                "village_code": village,
                "group_no": "01",
                "address": f"{key}号",
            },
        )
        self.households[key] = hid
        return hid

    def person(self, key: str, household: str, sex: int, born: str, **extra: Any) -> str:
        pid = records.insert(
            self.register,
            "person",
            {
                "household_id": self.households[household],
                "name": key,
                "sex": sex,
                "birth_date": born,
                **extra,
            },
        )
        self.ids[key] = pid
        return pid

    def marry(self, wife: str, husband: str | None, on: str, **extra: Any) -> str:
        fields: dict[str, Any] = {"wife_id": self.ids[wife], "married_on": on, **extra}
        if husband:
            fields["husband_id"] = self.ids[husband]
        else:
            fields["outside_spouse_name"] = f"{wife}之夫"
        return records.insert(self.register, "marriage", fields)

    def birth(
        self, key: str, mother: str, father: str | None, on: str, sex: int, **extra: Any
    ) -> str:
        fields: dict[str, Any] = {"mother_id": self.ids[mother], "birth_date": on, "sex": sex}
        if father:
            fields["father_id"] = self.ids[father]
        bid = records.insert(self.register, "birth", {**fields, **extra})
        self.ids[key] = bid
        return bid

    def method(self, key: str, woman: str, method: str, since: str, **extra: Any) -> str:
        cid = records.insert(
            self.register,
            "contraception",
            {"woman_id": self.ids[woman], "method": method, "started_on": since, **extra},
        )
        self.ids[key] = cid
        return cid

    def visit(self, person: str, kind: str, on: str, follows: str | None = None) -> str:
        fields: dict[str, Any] = {
            "person_id": self.ids[person],
            "visit_type": kind,
            "visited_on": on,
        }
        if follows:
            fields["follows_table"] = "contraception"
            fields["follows_id"] = self.ids[follows]
        return records.insert(self.register, "visit", fields)

    def move(self, person: str, kind: str, on: str) -> str:
        return records.insert(
            self.register, "move", {"person_id": self.ids[person], "kind": kind, "moved_on": on}
        )


def build(register: Register) -> World:
    w = World(register)
    w.area(COUNTY, "county", "青秀区", None)
    w.area(TOWNSHIP, "township", "长塘镇", COUNTY)
    w.area(VILLAGE_A, "village", "甲村", TOWNSHIP, pilot=1, selfgov=1)
    w.area(VILLAGE_B, "village", "乙社区", TOWNSHIP, urban=1, selfgov=1, demo=1)
    F, M = 2, 1

    w.household("H1", VILLAGE_A)
    w.person("W1", "H1", F, "1990-05-01", marital_status=20)
    w.person("M1", "H1", M, "1988-01-01", marital_status=20)
    w.marry("W1", "M1", "2012-01-01")
    w.birth("W1c1", "W1", "M1", "2014-03-01", M)
    w.birth("twin1", "W1", "M1", "2019-09-30", M)
    w.birth("twin2", "W1", "M1", "2019-09-30", M)
    w.visit("W1", "postnatal", "2019-10-05")
    w.visit("W1", "gyn_exam", "2018-09-01")

    w.household("H2", VILLAGE_A)
    w.person("W2", "H2", F, "1985-02-02", marital_status=20)
    w.person("M2", "H2", M, "1984-02-02", marital_status=20)
    w.marry("W2", "M2", "2010-01-01")
    w.birth("W2c1", "W2", "M2", "2019-10-01", F)
    w.method("W2implant", "W2", "implant", "2010-06-15")

    w.household("H4", VILLAGE_A)
    w.person("X", "H4", F, "1982-01-01", marital_status=40)
    w.household("H3", VILLAGE_A)
    w.person("W3", "H3", F, "1980-01-01", marital_status=22)
    w.person("M3", "H3", M, "1979-01-01", marital_status=22)
    w.marry("X", "M3", "2005-01-01", ended_on="2014-01-01", end_reason="divorce")
    w.birth("Xc1", "X", "M3", "2006-05-05", M)
    w.birth("Xc2", "X", "M3", "2009-07-07", F)
    w.marry("W3", "M3", "2016-01-01")
    w.birth("W3c1", "W3", "M3", "2019-03-10", M)
    w.method("W3vas", "W3", "male_sterilisation", "2019-05-01", user_id=w.ids["M3"])
    w.visit("W3", "postop_followup", "2019-06-03", follows="W3vas")

    w.household("H5", VILLAGE_A)
    w.person("W5", "H5", F, "1992-07-07", marital_status=20)
    w.marry("W5", None, "2015-05-05")
    w.birth("W5c1", "W5", None, "2019-02-01", F)
    w.method("W5iud", "W5", "iud", "2016-01-10")
    w.visit("W5", "iud_check", "2019-01-08", follows="W5iud")
    w.move("W5", "transfer_out", "2019-06-30")

    w.household("H8", VILLAGE_A)
    w.person("W8", "H8", F, "1969-10-01", marital_status=20)
    w.marry("W8", None, "1990-01-01")
    w.method("W8condom", "W8", "condom", "2015-01-01")
    w.person("W9", "H8", F, "1969-09-30", marital_status=20)
    w.marry("W9", None, "1990-01-01")
    w.method("W9condom", "W9", "condom", "2015-01-01")

    w.household("H10", VILLAGE_A)
    w.person("W10", "H10", F, "1980-03-03", marital_status=30)
    w.marry("W10", None, "2000-01-01", ended_on="2018-05-01", end_reason="widowed")

    w.household("H12", VILLAGE_A)
    w.person("W12", "H12", F, "1990-01-01", marital_status=20)
    w.marry("W12", None, "2012-01-01")
    w.birth("W12c1", "W12", None, "2015-01-01", F)
    w.birth("W12c2", "W12", None, "2018-03-03", M)
    w.person("W13", "H12", F, "1991-01-01", marital_status=20)
    w.marry("W13", None, "2013-01-01")
    w.birth("W13c1", "W13", None, "2014-01-01", M)
    w.birth("W13c2", "W13", None, "2018-04-04", F)
    w.method("W13iud", "W13", "iud", "2017-09-30", ended_on="2019-09-30")

    w.household("H6", VILLAGE_B)
    w.person("W6", "H6", F, "1988-08-08", marital_status=20)
    w.marry("W6", None, "2010-01-01")
    w.move("W6", "transfer_in", "2019-03-01")
    w.birth("W6c1", "W6", None, "2018-12-01", F)
    w.method("W6iud", "W6", "iud", "2018-12-20")
    w.visit("W6", "iud_followup", "2019-03-18", follows="W6iud")
    w.visit("W6", "iud_followup", "2019-06-25", follows="W6iud")
    w.visit("W6", "gyn_exam", "2019-05-05")

    w.household("H7", VILLAGE_B)
    w.person("W7", "H7", F, "1995-05-05", marital_status=20)
    w.marry("W7", None, "2017-01-01")
    w.method("W7pill", "W7", "pill", "2018-01-01")
    w.birth("W7c1", "W7", None, "2019-04-04", F)
    w.visit("W7", "postnatal", "2019-04-10")

    w.household("H11", VILLAGE_B)
    w.person("W11", "H11", F, "1993-03-03", marital_status=20)
    w.marry("W11", None, "2014-01-01")
    w.birth("W11c1", "W11", None, "2016-06-06", M)
    w.birth("W11c2", "W11", None, "2019-08-08", F)

    w.household("H14", VILLAGE_B)
    w.person("W14", "H14", F, "1990-09-09", marital_status=20, residence_status="in")
    w.marry("W14", None, "2012-01-01")
    w.method("W14iud", "W14", "iud", "2019-02-01")
    return w
