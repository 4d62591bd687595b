#!/usr/bin/env python3
"""Checks the generated Swift bindings (no Swift compiler exists on our CI machines): the .swift file,
the C header and the modulemap exist, and name every object, record, enum, error, constructor,
method and function that geo-ffi/src exports (read from the Rust source, not from a fixed list);
and that the hand-written geo-ffi/swift/GeoExtensions.swift (not compiled here either) refers only to
types, functions, members and error cases that the generated Swift or Swift/Foundation define.

    python3 geo-ffi/tests/check_swift.py <bindings/swift folder>
"""

import os
import re
import sys

FFI = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(FFI, "src")
EXTENSIONS = os.path.join(FFI, "swift", "GeoExtensions.swift")

# Names GeoExtensions.swift may use that come from Swift or Foundation, not from the bindings.
PLATFORM = {
    "AsyncSequence", "AsyncIteratorProtocol", "AsyncIterator", "Element", "Decimal", "Foundation",
    "Locale", "NSDecimalNumber", "String", "UInt8", "Self", "allSatisfy", "contains", "description",
    "isEmpty", "isFinite", "isNaN", "identifier", "string", "locale", "decimal", "withLocale", "init",
    "makeAsyncIterator", "next", "self",
}


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


def strip_swift(text):
    """The code without comments and string literals."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)


def unknown_names(ext, swift):
    """Names the hand-written Swift uses that neither it, the generated Swift nor PLATFORM define."""
    code = strip_swift(ext)
    declared = set(re.findall(r"\b(?:struct|class|enum|protocol|typealias|func|let|var|case)\s+(\w+)", code))
    declared |= set(re.findall(r"\((\w+)\)\s*in\b|\{\s*\$0", code))
    declared |= set(re.findall(r"(\w+)\s*:\s*[A-Z]", code))  # parameter labels and names
    defined = set(re.findall(r"\b(?:struct|class|enum|protocol|typealias|func|let|var)\s+(\w+)", swift))
    defined |= set(re.findall(r"\bcase\s+(\w+)", swift))
    defined |= set(re.findall(r"(\w+)\s*:\s*[A-Z\[]", swift))  # generated parameter labels
    keywords = {"import", "public", "private", "struct", "class", "enum", "extension", "func", "let",
                "var", "return", "guard", "else", "throw", "throws", "try", "await", "async",
                "mutating", "self", "in", "typealias", "where", "if", "_", "true", "false", "nil"}
    used = set(re.findall(r"(?<![\w$])([A-Za-z_]\w*)", code))
    return sorted(n for n in used
                  if n not in keywords and n not in PLATFORM and n not in declared and n not in defined)


def check_extensions(swift):
    """(ok, what) checks of GeoExtensions.swift against the generated Swift."""
    if not os.path.isfile(EXTENSIONS):
        return [(False, "hand-written " + EXTENSIONS)]
    ext = open(EXTENSIONS, encoding="utf-8").read()
    checks = [(not unknown_names(ext, swift), "GeoExtensions.swift refers only to defined names "
               "(unknown: %s)" % ", ".join(unknown_names(ext, swift)))]
    # The generated members it builds on, with their exact shapes.
    for pattern, what in ((r"open class EventStream\b", "class EventStream"),
                          (r"open class PaymentHistory\b", "class PaymentHistory"),
                          (r"open func next\(\)\s*async throws\s*->\s*Event\?", "async EventStream.next()"),
                          (r"open func next\(\)\s*async throws\s*->\s*Payment\?", "async PaymentHistory.next()"),
                          (r"public func parseAmount\(text: String, precision: UInt8\)", "parseAmount(text:precision:)"),
                          (r"public var canonical: Amount\b", "AmountValue.canonical"),
                          (r"public typealias Amount = String\b", "Amount is String"),
                          (r"case Validation\(\s*(?:/\*\*.*?\*/\s*)?code: String,\s*(?:/\*\*.*?\*/\s*)?detail: String,"
                           r"\s*(?:/\*\*.*?\*/\s*)?isRetryable: Bool", "GeoError.Validation(code:detail:isRetryable:)")):
        checks.append((re.search(pattern, swift, re.S), what))
    # The check itself can fail: a name the bindings do not define is caught.
    checks.append((unknown_names(ext + "\nlet x = NoSuchGeoType.make()\n", swift) != [],
                   "an unknown name in GeoExtensions.swift is detected"))
    return checks


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
    checks += check_extensions(swift)
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
