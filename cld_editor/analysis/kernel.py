"""The loop search kernel: Johnson's algorithm and Gupta and Suzumura's length-bounded variant
over integer arrays, resumable in chunks, written once and run either compiled by numba or by
CPython over plain lists (see :mod:`cld_editor.analysis.engine`, which chooses).

The graph is in compressed rows: node ``v``'s links are ``head[v]:head[v + 1]``, sorted by
target, so every loop is found from its lowest-numbered member and, for one length, loops come
out in lexicographic order of their members. Each link has ``flags`` (1 negative, 2
undetermined, 4 delayed) and each node ``dom`` (1 CX, 2 EX). Johnson's blocked sets B(w) are
one flag per link (``inb[e]`` for link v->w means v is in B(w)), read through the reverse rows
(``rhead``/``redge``), so they need no allocation; ``waiting[w]`` counts the flags set on w's
incoming links, so unblocking a node nobody waits on reads none of them. What the path holds
is kept per level in five bits (odd number of negative links, any undetermined, any delayed,
any CX member, any EX member), so each loop found is classified in constant time into one of
``CLASSES`` codes: ``kind + 3 * delayed + 6 * domain mask`` with kind 0 reinforcing,
1 balancing, 2 undetermined and mask 1 CX, 2 EX, 3 both.

All search state lives in the arrays passed in and ``state``; :func:`search_chunk` returns
after about ``max_steps`` steps, when the output buffers are full, or when done, and a second
call carries on where the first stopped. That is how the caller looks at the clock, the
cancel flag and progress without the kernel calling back into Python.
"""

from __future__ import annotations

#: Classes of loop a census counts: 3 kinds x (not delayed, delayed) x 4 domain masks.
CLASSES = 24
#: Slots of ``state``.
S_START, S_DEPTH, S_PHASE, S_FOUND, S_STORED, S_MEMBERS, S_SIZE, S_BOUNDED, S_RELAXES = range(9)
STATE_SLOTS = 9
#: The class code of each five-bit path summary (bit 0 odd negatives, 1 undetermined, 2 delayed,
#: 3-4 domain mask): a lookup is cheaper than the arithmetic in CPython, and numba folds it.
CODE_OF = tuple((2 if c & 2 else c & 1) + 3 * ((c >> 2) & 1) + 6 * (c >> 3) for c in range(32))
#: What :func:`search_chunk` returns.
DONE, STEPS, FULL = 0, 1, 2


def search_chunk(
    head,
    tgt,
    flags,
    dom,
    rhead,
    redge,
    rsrc,
    bound,
    store_length,
    count,
    state,
    path,
    pos,
    edge_in,
    mark,
    bits,
    blocked,
    lock,
    onpath,
    inside,
    inb,
    waiting,
    work,
    seen,
    done,
    counts,
    through,
    link_count,
    out_edges,
    out_start,
    out_code,
    max_steps,
):
    """Run the search for about ``max_steps`` steps from ``state``; see the module docstring.

    ``bound`` 0 searches every loop (Johnson), else loops of at most ``bound`` links. Loops
    are stored when ``store_length`` is -1 (all) or equals their length: their links go to
    ``out_edges`` from ``out_start[i]`` (``out_start[i + 1]`` is set as each is stored) and
    their class to ``out_code[i]``. When ``count`` is true, ``counts[length * CLASSES +
    code]``, ``through[node]`` and ``link_count[link]`` tally every loop found. ``done[s]``
    marks starts whose every loop is already known; they are skipped, and set once a start's
    part was searched without a bound (or has no loop).
    """
    n = len(head) - 1
    s = state[S_START]
    depth = state[S_DEPTH]
    phase = state[S_PHASE]
    found = state[S_FOUND]
    stored = state[S_STORED]
    members = state[S_MEMBERS]
    size = state[S_SIZE]
    bounded = state[S_BOUNDED]
    relaxes = state[S_RELAXES]
    cap_loops = len(out_code)
    cap_members = len(out_edges)
    steps = 0
    status = DONE
    while True:
        if phase == 0:
            # Choose the next start and the strongly connected part of the nodes >= s that
            # holds it: forward reach from s, then backward reach within it.
            if s >= n:
                status = DONE
                break
            if steps >= max_steps:
                status = STEPS
                break
            if done[s]:
                s += 1
                continue
            stamp = 2 * s + 1
            seen[s] = stamp
            work[0] = s
            top = 1
            while top:
                top -= 1
                v = work[top]
                for e in range(head[v], head[v + 1]):
                    w = tgt[e]
                    if w > s and seen[w] != stamp:
                        seen[w] = stamp
                        work[top] = w
                        top += 1
                steps += 1
            inside[s] = stamp + 1
            work[0] = s
            top = 1
            size = 1
            while top:
                top -= 1
                v = work[top]
                for r in range(rhead[v], rhead[v + 1]):
                    x = rsrc[r]
                    if seen[x] == stamp and inside[x] != stamp + 1:
                        inside[x] = stamp + 1
                        work[top] = x
                        top += 1
                        size += 1
                steps += 1
            self_linked = False
            for e in range(head[s], head[s + 1]):
                if tgt[e] == s:
                    self_linked = True
            if size == 1 and not self_linked:
                done[s] = 1
                s += 1
                continue
            # Reset the per-node state of the part's nodes (found again through the reverse
            # reach: `seen` is reused as a marker of the nodes cleared).
            bounded = 1 if bound > 0 and bound < size else 0
            work[0] = s
            top = 1
            seen[s] = stamp + 1
            while top:
                top -= 1
                v = work[top]
                blocked[v] = 0
                onpath[v] = 0
                lock[v] = bound
                waiting[v] = 0
                for e in range(head[v], head[v + 1]):
                    inb[e] = 0
                    w = tgt[e]
                    if inside[w] == stamp + 1 and seen[w] != stamp + 1:
                        seen[w] = stamp + 1
                        work[top] = w
                        top += 1
                steps += 1
            blocked[s] = 1
            onpath[s] = 1
            lock[s] = 0
            depth = 0
            path[0] = s
            pos[0] = head[s]
            mark[0] = found
            bits[0] = dom[s] << 3
            phase = 1
            continue
        here = 2 * s + 2
        v = path[depth]
        p = pos[depth]
        end = head[v + 1]
        entered = False
        stop = DONE
        while p < end:
            w = tgt[p]
            if inside[w] != here:
                p += 1
                continue
            if w == s:
                length = depth + 1
                f = flags[p]
                code = CODE_OF[(bits[depth] ^ (f & 1)) | (f & 6)]
                if store_length == -1 or store_length == length:
                    if stored >= cap_loops or members + length > cap_members:
                        stop = FULL
                        break
                    # One slice copy (not a loop per link: much faster in CPython).
                    out_edges[members : members + depth] = edge_in[1 : depth + 1]
                    members += depth
                    out_edges[members] = p
                    members += 1
                    out_code[stored] = code
                    stored += 1
                    out_start[stored] = members
                if count:
                    counts[length * CLASSES + code] += 1
                    link_count[p] += 1
                found += 1
                p += 1
                continue
            if onpath[w] or (depth + 1 >= lock[w] if bounded else blocked[w]):
                p += 1
                continue
            if steps >= max_steps:
                stop = STEPS
                break
            steps += 1
            if bounded:
                lock[w] = depth + 1
            blocked[w] = 1
            onpath[w] = 1
            pos[depth] = p + 1
            f = flags[p]
            bits[depth + 1] = (bits[depth] ^ (f & 1)) | (f & 6) | (dom[w] << 3)
            depth += 1
            path[depth] = w
            pos[depth] = head[w]
            edge_in[depth] = p
            mark[depth] = found
            entered = True
            break
        if entered:
            continue
        if stop != DONE:  # at link p: the output is full, or the chunk's steps are spent
            pos[depth] = p
            status = stop
            break
        # Every link of v is tried: back up.
        below = found - mark[depth]
        onpath[v] = 0
        if below:
            if count:
                through[v] += below
                if depth:
                    link_count[edge_in[depth]] += below
            if bounded:
                # Gupta and Suzumura: nodes waiting on v may be entered again from as deep
                # as their distance to v allows (a breadth-first relaxation).
                relaxes += 1
                seen_stamp = -relaxes
                seen[v] = seen_stamp
                work[0] = v
                first = 0
                last = 1
                distance = 1
                level_end = 1
                while first < last:
                    if first == level_end:
                        distance += 1
                        level_end = last
                    u = work[first]
                    first += 1
                    if lock[u] < bound - distance + 1:
                        lock[u] = bound - distance + 1
                        if not waiting[u]:
                            continue
                        for r in range(rhead[u], rhead[u + 1]):
                            if inb[redge[r]]:
                                x = rsrc[r]
                                if not onpath[x] and inside[x] == here and seen[x] != seen_stamp:
                                    seen[x] = seen_stamp
                                    work[last] = x
                                    last += 1
            else:
                blocked[v] = 0
                work[0] = v
                top = 1
                while top:
                    top -= 1
                    u = work[top]
                    if not waiting[u]:
                        continue
                    waiting[u] = 0
                    for r in range(rhead[u], rhead[u + 1]):
                        e = redge[r]
                        if inb[e]:
                            inb[e] = 0
                            x = rsrc[r]
                            if blocked[x] and inside[x] == here:
                                blocked[x] = 0
                                work[top] = x
                                top += 1
        else:
            for e in range(head[v], head[v + 1]):
                w = tgt[e]
                if inside[w] == here and not inb[e]:
                    inb[e] = 1
                    waiting[w] += 1
        depth -= 1
        if depth < 0:
            if bounded == 0:
                done[s] = 1
            s += 1
            phase = 0
    state[S_START] = s
    state[S_DEPTH] = depth
    state[S_PHASE] = phase
    state[S_FOUND] = found
    state[S_STORED] = stored
    state[S_MEMBERS] = members
    state[S_SIZE] = size
    state[S_BOUNDED] = bounded
    state[S_RELAXES] = relaxes
    return status
