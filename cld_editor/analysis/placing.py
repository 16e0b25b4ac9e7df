"""Placing new loops among a table's old ones and joining the two, written once and run
compiled by numba (see :func:`cld_editor.analysis.engine.compiled_placing`) or, in tests, by
CPython.

Incremental analysis (:mod:`.incremental_arrays`) puts the loops an added link brings where they
belong among the old loops, which are in order of length, then members
(:func:`sort_and_place`). Comparing a new loop with an old one reads members only until they
differ, so a galloping search costs a few dozen reads per new loop, however many old loops there
are: no key is built for the old loops. :func:`merge_tables` then drops the loops through
removed links (found by a whole-array comparison beforehand) and puts the new ones in, in one
pass over the table at memory speed. :func:`retag_codes` gives the loops through variables
moved to another domain their new class, in one pass too. :func:`index_links` lists the loops
through each link, so that the next edit finds the loops it touches without reading the table.
"""

from __future__ import annotations

import numpy as np


def sort_and_place(  # type: ignore[no-untyped-def]
    src,
    edges,
    starts,
    old_edges,
    old_starts,
    turned,
    order,
    out_edges,
    out_starts,
    places,
):
    """Turn, sort and place the new loops an added link brings, all lengths in one pass.

    New loop ``i`` is the link rows ``edges[starts[i]:starts[i + 1]]`` (``src`` gives a row's
    member); the old table's loops (``old_edges``, ``old_starts``) are in order of length, then
    members, each starting at its smallest member. Each new loop is turned to start at its
    smallest member too (its rows go to ``turned``, as long as ``edges``), then ``order`` is
    sorted the same way: a counting sort by length, then a multikey quicksort (Bentley and
    Sedgewick) within each length on keys that pack several members each, so that partitions
    compare keys read in order and a loop's members are read again only when its group goes
    that many members deeper: the loops one link brings share long runs. The loops are copied
    in that order to ``out_edges`` / ``out_starts``; ``order[k]`` is the loop written ``k``-th
    (to gather its class code), and ``places[k]`` the first old loop that does not come before
    it, found by galloping on from the previous new loop's place: about 2 log2(gap) reads of
    old loops for each, where the gap is the old loops between the two (a few new loops among
    many old ones, or many among few, both cheap). Returns 0."""
    n = len(starts) - 1
    top_member = 0
    for row in range(len(src)):
        top_member = max(top_member, src[row])
    bits = 1
    while (1 << bits) <= top_member:
        bits += 1
    per = 63 // bits  # members in a key
    packed = np.empty(n, dtype=np.int64)
    longest = 0
    for i in range(n):
        a, b = starts[i], starts[i + 1]
        turn = a
        for t in range(a + 1, b):
            if src[edges[t]] < src[edges[turn]]:
                turn = t
        at = a
        for t in range(turn, b):
            turned[at] = edges[t]
            at += 1
        for t in range(a, turn):
            turned[at] = edges[t]
            at += 1
        key = np.int64(0)  # (numpy integers, also run by CPython: rows are 32-bit)
        for t in range(per):
            key <<= bits
            if t < b - a:
                key |= np.int64(src[turned[a + t]])
        packed[i] = key
        longest = max(longest, b - a)
    # By length: counting sort (stable), the keys going along.
    keys = np.empty(n, dtype=np.int64)
    first = np.zeros(longest + 2, dtype=np.int64)
    for i in range(n):
        first[starts[i + 1] - starts[i] + 1] += 1
    for length in range(longest + 1):
        first[length + 1] += first[length]
    for i in range(n):
        length = starts[i + 1] - starts[i]
        order[first[length]] = i
        keys[first[length]] = packed[i]
        first[length] += 1
    # Within each length: multikey quicksort on the keys, an explicit stack of (lo, hi, depth);
    # a group whose keys are equal goes ``per`` members deeper with its keys read anew.
    stack = np.empty(3 * 64, dtype=np.int64)
    lo = 0
    while lo < n:
        length = starts[order[lo] + 1] - starts[order[lo]]
        hi = lo
        while hi < n and starts[order[hi] + 1] - starts[order[hi]] == length:
            hi += 1
        stack[0], stack[1], stack[2] = lo, hi, 0
        top = 3
        while top:
            top -= 3
            a, b, d = stack[top], stack[top + 1], stack[top + 2]
            if b - a < 2 or d >= length:
                continue
            if b - a <= 12:  # insertion sort: keys, then members from d + per on
                for x in range(a + 1, b):
                    loop, key = order[x], keys[x]
                    y = x - 1
                    while y >= a:
                        other = order[y]
                        later = keys[y] > key
                        if keys[y] == key:
                            for t in range(d + per, length):
                                p = src[turned[starts[other] + t]]
                                q = src[turned[starts[loop] + t]]
                                if p != q:
                                    later = p > q
                                    break
                        if not later:
                            break
                        order[y + 1], keys[y + 1] = other, keys[y]
                        y -= 1
                    order[y + 1], keys[y + 1] = loop, key
                continue
            k1, k2, k3 = keys[a], keys[(a + b) // 2], keys[b - 1]
            pivot = max(min(k1, k2), min(max(k1, k2), k3))
            lt, x, gt = a, a, b - 1
            while x <= gt:
                key = keys[x]
                if key < pivot:
                    order[lt], order[x] = order[x], order[lt]
                    keys[lt], keys[x] = key, keys[lt]
                    lt += 1
                    x += 1
                elif key > pivot:
                    order[x], order[gt] = order[gt], order[x]
                    keys[x], keys[gt] = keys[gt], key
                    gt -= 1
                else:
                    x += 1
            if top + 9 > len(stack):
                bigger = np.empty(2 * len(stack), dtype=np.int64)
                bigger[:top] = stack[:top]
                stack = bigger
            stack[top], stack[top + 1], stack[top + 2] = a, lt, d
            stack[top + 3], stack[top + 4], stack[top + 5] = gt + 1, b, d
            top += 6
            deeper = d + per
            if gt + 1 - lt > 1 and deeper < length:
                for y in range(lt, gt + 1):
                    base = starts[order[y]]
                    key = np.int64(0)
                    for t in range(deeper, deeper + per):
                        key <<= bits
                        if t < length:
                            key |= np.int64(src[turned[base + t]])
                    keys[y] = key
                stack[top], stack[top + 1], stack[top + 2] = lt, gt + 1, deeper
                top += 3
        lo = hi
    at = 0
    out_starts[0] = 0
    for r in range(n):
        x = order[r]
        for t in range(starts[x], starts[x + 1]):
            out_edges[at] = turned[t]
            at += 1
        out_starts[r + 1] = at
    n_old = len(old_starts) - 1
    lo = 0
    for r in range(n):
        a = out_starts[r]
        length = out_starts[r + 1] - a
        # Galloping from the last place (the new loops come in order): probes 1, 2, 4, ...
        # old loops on, then a binary search within the last step; a few new loops among
        # many old ones cost a few dozen reads each, many new ones about one read each.
        hi = n_old
        step = 1
        galloping = True
        while lo < hi:
            mid = min(lo + step - 1, hi - 1) if galloping else (lo + hi) // 2
            base = old_starts[mid]
            old_length = old_starts[mid + 1] - base
            before = old_length < length
            if old_length == length:
                for t in range(length):
                    old, new = src[old_edges[base + t]], src[out_edges[a + t]]
                    if old != new:
                        before = old < new
                        break
            if before:
                lo = mid + 1
                step *= 2
            else:
                hi = mid
                galloping = False
        places[r] = lo
    return 0


def merge_tables(  # type: ignore[no-untyped-def]
    edges,
    starts,
    codes,
    gone,
    fresh_edges,
    fresh_starts,
    fresh_codes,
    places,
    out_edges,
    out_starts,
    out_codes,
):
    """Join an old table and new loops in one pass: the old loops ``gone`` (indexes, in order:
    those through a removed link, found beforehand by a whole-array comparison) are dropped,
    the new loops placed at ``i`` (``places``, in order) go before old loop ``i``, and
    everything is copied into the ``out_`` arrays, which are long enough for all of it. Runs of
    kept old loops between a loop that goes and a new loop's place are copied whole, at memory
    speed, without reading their members. Returns the number of loops written;
    ``out_starts[:loops + 1]`` and the rest then hold the new table."""
    n_old = len(starts) - 1
    k = len(fresh_starts) - 1
    n_gone = len(gone)
    loops = 0
    at = 0
    j = 0
    g = 0
    out_starts[0] = 0
    i = 0
    while True:
        while j < k and places[j] == i:
            a, b = fresh_starts[j], fresh_starts[j + 1]
            out_edges[at : at + b - a] = fresh_edges[a:b]
            at += b - a
            out_codes[loops] = fresh_codes[j]
            loops += 1
            out_starts[loops] = at
            j += 1
        if i == n_old:
            break
        if g < n_gone and gone[g] == i:
            g += 1
            i += 1
            continue
        # The run of kept old loops from i on, up to the next new loop's place or loop gone.
        end = places[j] if j < k else n_old
        if g < n_gone and gone[g] < end:
            end = gone[g]
        a, b = starts[i], starts[end]
        out_edges[at : at + b - a] = edges[a:b]
        shift = at - a
        for q in range(i, end):
            out_codes[loops] = codes[q]
            loops += 1
            out_starts[loops] = starts[q + 1] + shift
        at += b - a
        i = end
    return loops


def retag_codes(src, dom, moved, edges, starts, codes, out_codes):  # type: ignore[no-untyped-def]
    """The class codes after some variables moved to another domain (``moved``: a flag per
    variable; ``dom``: every variable's domain bits now): loops through a moved variable get
    their domain part anew (the OR of their members' bits), the others keep their code; in
    ``out_codes``, one pass over the table. Returns how many loops were retagged."""
    n = len(starts) - 1
    # Per link row, its source's flag and bits: one read a member instead of two in a row.
    row_moved = np.empty(len(src), dtype=np.int8)
    row_dom = np.empty(len(src), dtype=np.int8)
    for row in range(len(src)):
        row_moved[row] = moved[src[row]]
        row_dom[row] = dom[src[row]]
    retagged = 0
    for i in range(n):
        a, b = starts[i], starts[i + 1]
        code = codes[i]
        hit = False
        for t in range(a, b):
            if row_moved[edges[t]]:
                hit = True
                break
        if hit:
            mask = 0
            for t in range(a, b):
                mask |= row_dom[edges[t]]
            code = code % 6 + 6 * mask
            retagged += 1
        out_codes[i] = code
    return retagged


def index_links(edges, starts, row_dom, offsets, loops, cx, ex):  # type: ignore[no-untyped-def]
    """The loops through each link row, by a counting sort in two passes over the table:
    ``loops[offsets[r]:offsets[r + 1]]`` are the loops (indexes, in order) that run through
    row ``r``. ``offsets`` has one more entry than there are rows and comes in zeroed;
    ``loops`` is as long as ``edges``. Also each loop's members tagged CX (``cx``) and EX
    (``ex``), from each row's source's domain bits ``row_dom``. Returns 0."""
    rows = len(offsets) - 1
    for t in range(len(edges)):
        offsets[edges[t] + 1] += 1
    for r in range(rows):
        offsets[r + 1] += offsets[r]
    filled = offsets[:rows].copy()
    for i in range(len(starts) - 1):
        tagged_cx = np.int64(0)  # (not int8, as CPython would make it from row_dom's)
        tagged_ex = np.int64(0)
        for t in range(starts[i], starts[i + 1]):
            row = edges[t]
            loops[filled[row]] = i
            filled[row] += 1
            tagged_cx += row_dom[row] & 1
            tagged_ex += row_dom[row] >> 1
        cx[i] = tagged_cx
        ex[i] = tagged_ex
    return 0


def retag_counted(rows, was, now, offsets, listed, codes, cx, ex):  # type: ignore[no-untyped-def]
    """Give the loops through the link ``rows`` (those out of variables moved to another
    domain; ``was`` and ``now``: each one's source's domain bits before and after) their new
    domain part, from the table's index (:func:`index_links`): ``codes``, ``cx`` and ``ex``
    are updated in place (copies of the old table's), reading no member. A loop runs through
    one link out of each of its members, so each is counted once per moved member. Returns
    0."""
    for j in range(len(rows)):
        r = rows[j]
        add_cx = (now[j] & 1) - (was[j] & 1)
        add_ex = (now[j] >> 1) - (was[j] >> 1)
        for k in range(offsets[r], offsets[r + 1]):
            i = listed[k]
            cx[i] += add_cx
            ex[i] += add_ex
            mask = (1 if cx[i] > 0 else 0) + (2 if ex[i] > 0 else 0)
            codes[i] = codes[i] % 6 + 6 * mask
    return 0
