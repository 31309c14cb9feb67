#!/usr/bin/env python3
"""No module imports another that imports it back.

Reads every crate's `src/` tree, resolves the paths each module names (`use` declarations and
paths in code, `crate::`, `super::`, `self::` and child modules) to the module that defines them,
and fails naming each cycle among a crate's modules. A module's `#[cfg(test)] mod tests` is left
out, and so are edges to the crate root, which declares every module and re-exports what the
crate offers (its items are reached as `crate::X` from everywhere by design; the root itself
must then name no module that names the root's own items back, which this check does count).
Usage: modules.py [crates-dir] | modules.py --self-test
"""
import os
import re
import sys

ROOTS = ("lib.rs", "main.rs")


def modules_of(src):
    """Module path (tuple) -> file, for every file under src."""
    mods = {}
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), src)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ("lib", "main") and len(parts) == 1:
                parts = []
            elif parts[-1] == "mod":
                parts = parts[:-1]
            mods[tuple(parts)] = os.path.join(dirpath, f)
    return mods


def code_of(path):
    text = open(path, encoding="utf-8").read()
    # Leave out the unit tests and comments (doc comments name paths for rustdoc only).
    cut = re.search(r"^#\[cfg\(test\)\]\s*\nmod tests\b", text, re.M)
    if cut:
        text = text[: cut.start()]
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return text


def use_paths(text):
    """Every path a `use` declaration brings in, expanded from its braces."""
    out = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        out.extend(expand(re.sub(r"\s+", "", m.group(1))))
    return out


def expand(tree):
    # a::{b, c::{d, e}} -> a::b, a::c::d, a::c::e
    i = tree.find("{")
    if i < 0:
        return [tree.split(" as ")[0]]
    prefix, inner = tree[:i], tree[i + 1 : tree.rfind("}")]
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    if cur:
        parts.append(cur)
    out = []
    for p in parts:
        for e in expand(p):
            out.append(prefix + e if e != "self" else prefix.rstrip(":"))
    return out


def resolve(path, here, mods, children):
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    base = list(here)
    if segs[0] == "crate":
        base, segs = [], segs[1:]
    elif segs[0] == "self":
        segs = segs[1:]
    elif segs[0] == "super":
        while segs and segs[0] == "super":
            base = base[:-1]
            segs = segs[1:]
    elif segs[0] in children.get(tuple(here), ()):
        pass
    else:
        return None  # another crate, std, or a name in scope
    best = tuple(base)
    cur = list(base)
    for s in segs:
        cur.append(s)
        if tuple(cur) in mods:
            best = tuple(cur)
        else:
            break
    return best


def check_crate(src):
    mods = modules_of(src)
    children = {}
    for m in mods:
        if m:
            children.setdefault(m[:-1], set()).add(m[-1])
    edges = {m: set() for m in mods}
    for m, path in mods.items():
        text = code_of(path)
        paths = use_paths(text)
        paths += re.findall(r"\b((?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+)", text)
        # Paths through a child module, in code (`alerts::list` where `mod alerts;`).
        for child in children.get(m, ()):
            paths += re.findall(r"(?<![:\w])(" + child + r"(?:::[A-Za-z_][A-Za-z0-9_]*)+)", text)
        for p in paths:
            t = resolve(p, m, mods, children)
            if t is None or t == m or t == ():
                continue
            edges[m].add(t)
    return mods, edges


def cycles(edges):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return out


def name(crate, m):
    return crate + ("::" + "::".join(m) if m else "")


def self_test():
    """The check finds a cycle planted in a crate of its own, and passes the same crate without it."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "demo", "src")
        os.makedirs(os.path.join(src, "b"))
        files = {
            "lib.rs": "mod a;\nmod b;\npub use a::A;\n",
            "a.rs": "use crate::b::c::C;\npub struct A(C);\n",
            "b/mod.rs": "pub mod c;\n",
            "b/c.rs": "pub struct C;\nfn f() -> Option<super::super::a::A> { None }\n",
        }
        for name, text in files.items():
            with open(os.path.join(src, name), "w", encoding="utf-8") as f:
                f.write(text)
        _, edges = check_crate(src)
        found = cycles(edges)
        assert found and sorted(found[0]) == [("a",), ("b", "c")], found
        with open(os.path.join(src, "b/c.rs"), "w", encoding="utf-8") as f:
            f.write("pub struct C;\n#[cfg(test)]\nmod tests {\n    use crate::a::A;\n}\n")
        _, edges = check_crate(src)
        assert not cycles(edges), edges
    print("the module check finds a planted cycle")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return
    root = sys.argv[1] if len(sys.argv) > 1 else "crates"
    failed = False
    for crate in sorted(os.listdir(root)):
        src = os.path.join(root, crate, "src")
        if not os.path.isdir(src):
            continue
        _, edges = check_crate(src)
        for comp in cycles(edges):
            failed = True
            members = sorted(comp)
            print(f"cycle in {crate}: " + " <-> ".join(name(crate, m) for m in members))
            for m in members:
                back = sorted(t for t in edges[m] if t in comp)
                print(f"  {name(crate, m)} uses " + ", ".join(name(crate, t) for t in back))
    if failed:
        sys.exit(1)
    print("no module imports another that imports it back")


main()
