//! Strongly connected components (iterative Tarjan): only debts inside one component can be set off.

const UNVISITED: u32 = u32::MAX;

/// Component id of every node of a graph in CSR form (`heads[offsets[v]..offsets[v + 1]]` are
/// the successors of `v`), plus the number of components. Iterative, so deep graphs cannot
/// overflow the call stack.
pub(crate) fn components(offsets: &[u32], heads: &[u32]) -> (Vec<u32>, u32) {
    let n = offsets.len() - 1;
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![0u32; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut call: Vec<(u32, u32)> = Vec::new();
    let mut counter = 0u32;
    let mut count = 0u32;

    for s in 0..n {
        if index[s] != UNVISITED {
            continue;
        }
        index[s] = counter;
        low[s] = counter;
        counter += 1;
        stack.push(s as u32);
        on_stack[s] = true;
        call.push((s as u32, offsets[s]));
        while let Some(frame) = call.last_mut() {
            let v = frame.0 as usize;
            if frame.1 < offsets[v + 1] {
                let w = heads[frame.1 as usize] as usize;
                frame.1 += 1;
                if index[w] == UNVISITED {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    call.push((w as u32, offsets[w]));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(p, _)) = call.last() {
                    let p = p as usize;
                    low[p] = low[p].min(low[v]);
                }
                if low[v] == index[v] {
                    loop {
                        let w = stack.pop().expect("Tarjan stack holds v") as usize;
                        on_stack[w] = false;
                        comp[w] = count;
                        if w == v {
                            break;
                        }
                    }
                    count += 1;
                }
            }
        }
    }
    (comp, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csr(n: usize, edges: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
        let mut offsets = vec![0u32; n + 1];
        for &(u, _) in edges {
            offsets[u as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut pos = offsets.clone();
        let mut heads = vec![0u32; edges.len()];
        for &(u, v) in edges {
            heads[pos[u as usize] as usize] = v;
            pos[u as usize] += 1;
        }
        (offsets, heads)
    }

    #[test]
    fn two_cycles_joined_by_a_bridge() {
        let (o, h) = csr(6, &[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 3), (5, 0)]);
        let (comp, count) = components(&o, &h);
        assert_eq!(count, 3);
        assert_eq!(comp[0], comp[1]);
        assert_eq!(comp[1], comp[2]);
        assert_eq!(comp[3], comp[4]);
        assert_ne!(comp[0], comp[3]);
        assert_ne!(comp[5], comp[0]);
        assert_ne!(comp[5], comp[3]);
    }

    #[test]
    fn long_path_and_long_cycle_do_not_overflow_the_stack() {
        let n = 200_000u32;
        let path: Vec<_> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let (o, h) = csr(n as usize, &path);
        assert_eq!(components(&o, &h).1, n);
        let mut cycle = path;
        cycle.push((n - 1, 0));
        let (o, h) = csr(n as usize, &cycle);
        assert_eq!(components(&o, &h).1, 1);
    }
}
