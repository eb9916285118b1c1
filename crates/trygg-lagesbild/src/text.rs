//! Numbers written the Swedish way, shared by the PDF, the CSV and the pages.

/// A share as per cent with one decimal and a decimal comma: `0.3127` → `31,3 %`.
pub fn percent_sv(share: f64) -> String {
    format!("{} %", share_sv(share))
}

/// A share as per cent with one decimal and a decimal comma, without the sign: `31,3`.
pub fn share_sv(share: f64) -> String {
    format!("{:.1}", 100.0 * share).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_written_with_a_decimal_comma() {
        assert_eq!(percent_sv(0.3127), "31,3 %");
        assert_eq!(share_sv(0.05), "5,0");
    }
}
