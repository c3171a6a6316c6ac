#!/usr/bin/env python3
"""Generates a realistic, messy B2B lead CSV for benchmarks and dedup-quality measurement.

    bench/gen_leads.py ROWS OUT.csv [--truth TRUTH.csv] [--seed N] [--dup-rate 0.15]

Every row belongs to a person ("entity"). About --dup-rate of the rows repeat an earlier
entity with the noise real lead files carry: e-mail case changes, phone formatting changes,
typos in names, missing fields, company suffix variants ("Inc." / "Inc" / ", LLC"), www./
https:// website variants. --truth writes `line,entity` (the CSV line number of each record)
so precision and recall of deduplication can be computed against ground truth.
Deterministic for a given seed. Standard library only.
"""
import argparse
import csv
import random

FIRST = ("James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
         "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy "
         "Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Andrew Emily "
         "Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah "
         "Timothy Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Amy "
         "José Zoë Siobhán Renée").split()
LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
        "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
        "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
        "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
        "Roberts O'Neil McDonald Müller").split()
WORDS = ("Acme Apex Summit Pioneer Vertex Horizon Granite Blue River Cedar Harbor Atlas Nova "
         "Quantum Silver Golden Iron Oak Maple Pine Eagle Falcon Delta Sigma Omega Bright Clear "
         "North South East West Coastal Prairie Metro Urban Rural United Global National").split()
KINDS = ("Systems Solutions Logistics Analytics Software Manufacturing Foods Health Labs "
         "Partners Consulting Energy Robotics Networks Capital Builders Supply Media").split()
SUFFIXES = ["Inc.", "Inc", "LLC", "Ltd", "Corp.", "Corporation", "Co.", ""]
TITLES = ["CEO", "CTO", "CFO", "VP Sales", "VP of Marketing", "Director of Operations",
          "Head of Growth", "Sales Manager", "Marketing Manager", "Software Engineer",
          "Account Executive", "Office Manager", "Owner", "President", "IT Director"]
PLACES = [("New York", "NY", "10001"), ("Brooklyn", "NY", "11201"), ("Boston", "MA", "02134"),
          ("Chicago", "IL", "60601"), ("Austin", "TX", "78701"), ("Dallas", "TX", "75201"),
          ("Denver", "CO", "80202"), ("Seattle", "WA", "98101"), ("Portland", "OR", "97201"),
          ("San Francisco", "CA", "94103"), ("Los Angeles", "CA", "90012"),
          ("Miami", "FL", "33130"), ("Atlanta", "GA", "30303"), ("Phoenix", "AZ", "85004"),
          ("Columbus", "OH", "43215"), ("Nashville", "TN", "37203"), ("Newark", "NJ", "07102")]
AREA = {"NY": "212", "MA": "617", "IL": "312", "TX": "512", "CO": "303", "WA": "206",
        "OR": "503", "CA": "415", "FL": "305", "GA": "404", "AZ": "602", "OH": "614",
        "TN": "615", "NJ": "973"}
INDUSTRIES = [("Software", "7372", "511210"), ("Manufacturing", "3599", "332710"),
              ("Logistics", "4213", "484121"), ("Healthcare", "8062", "622110"),
              ("Consulting", "8742", "541611"), ("Retail", "5311", "452210"),
              ("Construction", "1542", "236220"), ("Finance", "6211", "523120")]
HEADER = ["First Name", "Last Name", "E-mail", "Mobile Phone", "Company Name", "Website",
          "Title", "City", "State", "ZIP", "Industry", "SIC Code", "Employees", "LinkedIn URL"]


def company(rng, i):
    name = f"{rng.choice(WORDS)} {rng.choice(KINDS)}"
    if i % 7 == 0:
        name = f"{rng.choice(WORDS)} {name}"
    return name, f"{name.lower().replace(' ', '')}{i % 97}.com"


def make_entity(rng, i, companies):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    cname, domain = companies[rng.randrange(len(companies))]
    city, state, zipc = rng.choice(PLACES)
    industry = rng.choice(INDUSTRIES)
    local = f"{first}.{last}{i}".lower().replace("'", "")
    phone = f"{AREA[state]}{rng.randrange(200, 999)}{rng.randrange(0, 10000):04d}"
    return {"first": first, "last": last, "email": f"{local}@{domain}", "phone": phone,
            "company": cname, "suffix": rng.choice(SUFFIXES), "domain": domain,
            "title": rng.choice(TITLES), "city": city, "state": state, "zip": zipc,
            "industry": industry, "employees": rng.choice([5, 12, 40, 85, 150, 400, 1200, 5000]),
            "linkedin": f"https://www.linkedin.com/in/{local.replace('.', '-')}"}


def fmt_phone(rng, p):
    return rng.choice([f"({p[:3]}) {p[3:6]}-{p[6:]}", f"{p[:3]}-{p[3:6]}-{p[6:]}",
                       f"{p[:3]}.{p[3:6]}.{p[6:]}", p, f"+1 {p[:3]} {p[3:6]} {p[6:]}",
                       f"1-{p[:3]}-{p[3:6]}-{p[6:]}"])


def typo(rng, s):
    if len(s) < 4:
        return s
    k = rng.randrange(1, len(s) - 1)
    return rng.choice([s[:k] + s[k + 1:], s[:k] + s[k + 1] + s[k] + s[k + 2:], s.upper(),
                       s.lower()])


def render(rng, e, noisy):
    website = rng.choice([e["domain"], f"www.{e['domain']}", f"https://www.{e['domain']}/",
                          f"http://{e['domain']}/about"])
    comp = f"{e['company']} {e['suffix']}".strip() if e["suffix"] else e["company"]
    row = [e["first"], e["last"], e["email"], fmt_phone(rng, e["phone"]), comp, website,
           e["title"], e["city"], rng.choice([e["state"], e["state"].lower()]),
           e["zip"], e["industry"][0], e["industry"][1], str(e["employees"]), e["linkedin"]]
    if noisy:
        kind = rng.randrange(6)
        if kind == 0:
            row[2] = row[2].upper() if rng.random() < 0.5 else " " + row[2] + " "
        elif kind == 1:
            row[0] = typo(rng, row[0])
        elif kind == 2:
            row[2] = ""          # e-mail missing: phone must carry the identity
        elif kind == 3:
            row[3] = ""          # phone missing
            row[5] = ""
        elif kind == 4:
            row[1] = typo(rng, row[1])
            row[6] = ""
        else:
            row[4] = comp.upper()
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("out")
    ap.add_argument("--truth")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--dup-rate", type=float, default=0.15)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    companies = [company(rng, i) for i in range(max(10, args.rows // 20))]
    entities = []
    truth = open(args.truth, "w", newline="") if args.truth else None
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        for line in range(2, args.rows + 2):
            if entities and rng.random() < args.dup_rate:
                ent = rng.randrange(len(entities))
                row = render(rng, entities[ent], True)
            else:
                ent = len(entities)
                entities.append(make_entity(rng, ent, companies))
                row = render(rng, entities[ent], False)
            w.writerow(row)
            if truth:
                truth.write(f"{line},{ent}\n")
    if truth:
        truth.close()


if __name__ == "__main__":
    main()
