//! The reset bundle: the public reset flow alone, served to whoever opens `/reset`.

use rekey_core::spa::Bundle;

fn main() {
    rekey_web::app::start(Bundle::Reset, rekey_web::app::reset::App);
}
