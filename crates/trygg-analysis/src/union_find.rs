//! Union–find over indices, shared by hotspot clustering and the disclosure audit.

/// The root of `x` in the forest `parent` (a root is its own parent), halving the
/// path on the way.
pub(crate) fn find(parent: &mut [usize], mut x: usize) -> usize {
    while let Some(&p) = parent.get(x) {
        if p == x {
            break;
        }
        let grand = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(x) {
            *slot = grand;
        }
        x = grand;
    }
    x
}
