//! The admin bundle: the admin centre, loaded only by people who open it.

use rekey_core::spa::Bundle;

fn main() {
    rekey_web::app::start(Bundle::Admin, rekey_web::app::admin::App);
}
