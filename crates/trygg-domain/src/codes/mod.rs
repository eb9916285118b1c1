//! The closed lists of names the platform shows to people by a label: audit
//! actions and error codes. Their text is stored and sent as-is, and the web
//! pages keep a Swedish and an English label for every one in
//! `web/js/labels.js`; a test walks both lists to keep the two in step.

mod audit;
mod error_code;

pub use audit::AuditAction;
pub use error_code::ErrorCode;
