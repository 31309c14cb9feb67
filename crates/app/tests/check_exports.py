"""Reads a table's exports back with outside checkers and compares them with the plain CSV.

Usage: check_exports.py DIR, where DIR holds table.csv (the table as Frontera's CSV: month, port,
direction, sex, count, status), sdmx.csv (the same as SDMX-CSV 2.0), structure.xml (the SDMX-ML
structure message it names) and hxl.csv (the same as HXL). sdmx1 reads the SDMX files, libhxl
the HXL one. Exits 1, saying why, at the first disagreement.

check_exports.py --informal DIR reads an estimate of informal crossings back instead: DIR holds
estimate.csv (Frontera's CSV: value, estimate, standard_error, lower_95, upper_95, …),
estimate-sdmx.csv (the same as SDMX-CSV of FRONTERA:DF_INFORMAL), estimate-hxl.csv and
structure.xml.
"""

import csv
import os
import sys

import hxl
import sdmx
from hxl.input import InputOptions


def fail(why):
    print(f"exports disagree: {why}")
    sys.exit(1)


def main(folder):
    path = lambda name: os.path.join(folder, name)
    # The reference: (month, port, direction, sex) -> count, or None when withheld.
    reference = {}
    with open(path("table.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["month"], row["port"], row["direction"], row["sex"])
            reference[key] = None if row["status"] == "suppressed" else int(row["count"])
    if not reference:
        fail("the table is empty")

    # SDMX: the structure message, then the data read against its dataflow.
    structure = sdmx.read_sdmx(path("structure.xml"))
    flow = structure.dataflow["DF_CROSSINGS"]
    dsd = flow.structure
    dims = [d.id for d in dsd.dimensions.components]
    if dims != ["REF_AREA", "PORT", "DIRECTION", "CITIZENSHIP", "MIGR_CATEGORY", "SEX", "AGE", "TIME_PERIOD"]:
        fail(f"the structure's dimensions are {dims}")
    codes = {}
    for d in dsd.dimensions.components:
        representation = d.local_representation
        if representation is not None and representation.enumerated is not None:
            codes[d.id] = {c.id for c in representation.enumerated}
    conf = dsd.attributes.get("CONF_STATUS").local_representation.enumerated
    conf_codes = {c.id for c in conf}
    message = sdmx.read_sdmx(path("sdmx.csv"), structure=flow)
    seen = 0
    for dataset in message.data:
        for obs in dataset.obs:
            values = {k: v.value for k, v in obs.dimension.values.items()}
            for dim, allowed in codes.items():
                if values[dim] not in allowed:
                    fail(f"{dim}={values[dim]} is no code of its list")
            status = obs.attached_attribute["CONF_STATUS"].value
            if status not in conf_codes:
                fail(f"CONF_STATUS={status}")
            key = (values["TIME_PERIOD"], values["PORT"], values["DIRECTION"], values["SEX"])
            if key not in reference:
                fail(f"SDMX observation {key} is not in the table")
            want = reference[key]
            got = None if obs.value in (None, "") else int(obs.value)
            if got != want or (status == "F") != (want is not None):
                fail(f"SDMX {key}: {got} ({status}), the table says {want}")
            seen += 1
    expected = sum(1 for k in reference if k[0] != "_T")
    if seen != expected:
        fail(f"{seen} SDMX observations for {expected} cells")

    # HXL: sex is an attribute of the count columns.
    data = hxl.data(path("hxl.csv"), InputOptions(allow_local=True))
    columns = data.columns
    tags = [c.display_tag for c in columns]
    if tags[:3] != ["#date+month", "#loc+code", "#x_direction"]:
        fail(f"HXL tags {tags}")
    sex_of = {}
    for i, c in enumerate(columns):
        if c.tag == "#x_crossings":
            attrs = set(c.attributes)
            sex_of[i] = "F" if "f" in attrs else "M" if "m" in attrs else "_T" if not attrs else None
    found = 0
    for row in data:
        for i, sex in sex_of.items():
            if sex is None:
                continue
            key = (row.values[0], row.values[1], row.values[2], sex)
            value = row.values[i]
            got = None if value == "" else int(value)
            want = reference.get(key, 0)
            if got != want:
                fail(f"HXL {key}: {got}, the table says {want}")
            found += key in reference
    if found != len(reference):
        fail(f"HXL holds {found} of the table's {len(reference)} cells")
    print(f"sdmx1 and libhxl read {seen} observations and {found} cells back as the table")


def informal(folder):
    path = lambda name: os.path.join(folder, name)
    # The reference: breakdown value -> (estimate, standard error, lower, upper).
    reference = {}
    with open(path("estimate.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not row["method"].startswith("Design-based"):
                fail("the CSV does not say how the figures were made")
            reference[row["value"]] = tuple(
                float(row[c]) for c in ("estimate", "standard_error", "lower_95", "upper_95")
            )
    if "_T" not in reference:
        fail("the estimate has no total")
    structure = sdmx.read_sdmx(path("structure.xml"))
    flow = structure.dataflow["DF_INFORMAL"]
    dsd = flow.structure
    dims = [d.id for d in dsd.dimensions.components]
    if dims != ["REF_AREA", "POINT_GROUP", "MEASURE", "BREAKDOWN", "BREAKDOWN_VALUE", "TIME_PERIOD"]:
        fail(f"the informal structure's dimensions are {dims}")
    attributes = {a.id for a in dsd.attributes.components}
    for needed in ("STD_ERR", "LOWER_BOUND", "UPPER_BOUND", "OBS_STATUS", "COMMENT_DSET"):
        if needed not in attributes:
            fail(f"the informal structure lacks {needed}")
    message = sdmx.read_sdmx(path("estimate-sdmx.csv"), structure=flow)
    seen = 0
    close = lambda a, b: abs(a - b) <= 0.01 + 1e-6 * abs(b)
    for dataset in message.data:
        for obs in dataset.obs:
            values = {k: v.value for k, v in obs.dimension.values.items()}
            key = values["BREAKDOWN_VALUE"]
            if key not in reference:
                fail(f"SDMX observation {key} is not in the estimate")
            want = reference[key]
            attached = obs.attached_attribute
            if attached["OBS_STATUS"].value != "E":
                fail(f"SDMX {key} is not marked estimated")
            got = (
                float(obs.value),
                float(attached["STD_ERR"].value),
                float(attached["LOWER_BOUND"].value),
                float(attached["UPPER_BOUND"].value),
            )
            if not all(close(g, w) for g, w in zip(got, want)):
                fail(f"SDMX {key}: {got}, the CSV says {want}")
            seen += 1
    if seen != len(reference):
        fail(f"{seen} SDMX observations for {len(reference)} lines")
    data = hxl.data(path("estimate-hxl.csv"), InputOptions(allow_local=True))
    tags = [c.display_tag for c in data.columns]
    for needed in ("#indicator+value", "#indicator+num+est", "#indicator+num+low", "#indicator+num+high", "#meta+method"):
        if needed not in tags:
            fail(f"HXL tags {tags} lack {needed}")
    at = {t: i for i, t in enumerate(tags)}
    found = 0
    for row in data:
        key = row.values[at["#indicator+value"]]
        want = reference.get(key)
        got = tuple(
            float(row.values[at[t]])
            for t in ("#indicator+num+est", "#indicator+num+se", "#indicator+num+low", "#indicator+num+high")
        )
        if want is None or not all(close(g, w) for g, w in zip(got, want)):
            fail(f"HXL {key}: {got}, the CSV says {want}")
        found += 1
    if found != len(reference):
        fail(f"HXL holds {found} of the estimate's {len(reference)} lines")
    print(f"sdmx1 and libhxl read {seen} estimates and {found} lines back as the estimate")


if __name__ == "__main__":
    if sys.argv[1] == "--informal":
        informal(sys.argv[2])
    else:
        main(sys.argv[1])
