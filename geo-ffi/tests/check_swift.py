#!/usr/bin/env python3
"""Checks the generated Swift bindings (no Swift compiler exists on our CI machines): the .swift file,
the C header and the modulemap exist, and name every object, record, enum, error, constructor,
method and function that geo-ffi/src exports (read from the Rust source, not from a fixed list).

    python3 geo-ffi/tests/check_swift.py <bindings/swift folder>
"""

import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


def exported():
    """(kind, name, owner) for everything the Rust source exports through uniffi."""
    items = []
    for f in sorted(os.listdir(SRC)):
        text = open(os.path.join(SRC, f), encoding="utf-8").read()
        for derive, name in re.findall(
                r"#\[derive\(([^)]*uniffi::(?:Object|Record|Enum|Error)[^)]*)\)\]\s*(?:#\[[^\]]*\]\s*)*"
                r"pub (?:struct|enum) (\w+)", text):
            kind = re.search(r"uniffi::(Object|Record|Enum|Error)", derive).group(1)
            items.append((kind, name, None))
        lines = text.split("\n")
        i = 0
        while i < len(lines):
            if lines[i].startswith("#[uniffi::export"):
                j = i + 1
                m = re.match(r"impl (\w+) \{", lines[j])
                if m:
                    owner = m.group(1)
                    j += 1
                    ctor = False
                    while lines[j] != "}":
                        if "#[uniffi::constructor]" in lines[j]:
                            ctor = True
                        fm = re.match(r"    pub (?:async )?fn (\w+)", lines[j])
                        if fm:
                            items.append(("constructor" if ctor else "method", fm.group(1), owner))
                            ctor = False
                        j += 1
                else:
                    fm = re.match(r"pub (?:async )?fn (\w+)", lines[j])
                    if fm:
                        items.append(("function", fm.group(1), None))
                i = j
            i += 1
    return items


def main():
    out = sys.argv[1]
    paths = {k: os.path.join(out, n) for k, n in
             (("swift", "GeoFFI.swift"), ("header", "GeoFFIFFI.h"), ("modulemap", "GeoFFIFFI.modulemap"))}
    failed = [p for p in paths.values() if not os.path.isfile(p)]
    if failed:
        print("FAIL missing: %s" % ", ".join(failed))
        return 1
    swift = open(paths["swift"], encoding="utf-8").read()
    header = open(paths["header"], encoding="utf-8").read()
    modulemap = open(paths["modulemap"], encoding="utf-8").read()
    checks = [('header "GeoFFIFFI.h"' in modulemap, "the modulemap names the header"),
              ("module GeoFFIFFI" in modulemap, "the modulemap declares GeoFFIFFI")]
    items = exported()
    for kind, name, owner in items:
        if kind == "Object":
            checks.append((re.search(r"open class %s\b" % name, swift), "class " + name))
        elif kind == "Record":
            checks.append((re.search(r"public struct %s\b" % name, swift), "struct " + name))
        elif kind in ("Enum", "Error"):
            checks.append((re.search(r"public enum %s\b" % name, swift), "enum " + name))
        elif kind == "function":
            checks.append((re.search(r"public func %s\(" % camel(name), swift), "func " + name))
            checks.append(("uniffi_geo_ffi_fn_func_%s(" % name in header, "C symbol of " + name))
        elif kind == "constructor":
            decl = r"init\(" if name == "new" else r"static func %s\(" % camel(name)
            checks.append((re.search(decl, swift), "%s constructor %s" % (owner, name)))
            sym = "uniffi_geo_ffi_fn_constructor_%s_%s(" % (owner.lower(), name)
            checks.append((sym in header, "C symbol " + sym))
        else:
            checks.append((re.search(r"func %s\(" % camel(name), swift), "%s.%s" % (owner, name)))
            sym = "uniffi_geo_ffi_fn_method_%s_%s(" % (owner.lower(), name)
            checks.append((sym in header, "C symbol " + sym))
    bad = [what for ok, what in checks if not ok]
    for what in bad:
        print("FAIL Swift bindings lack " + what)
    kinds = {k for k, _, _ in items}
    if not {"Object", "Record", "Enum", "Error", "method", "function", "constructor"} <= kinds:
        print("FAIL the export scan found too little: %s" % sorted(kinds))
        bad.append("scan")
    print("%d passed, %d failed" % (len(checks) - len(bad), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
