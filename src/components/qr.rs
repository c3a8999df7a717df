//! A QR code drawn in the page (no image request, nothing sent anywhere).

use leptos::prelude::*;
use qrcode::{Color, QrCode};

/// Modules of light margin around the code, as scanners expect.
const QUIET: usize = 4;

/// The dark modules as one SVG path, a rectangle per horizontal run.
fn path(code: &QrCode) -> String {
    let width = code.width();
    let colors = code.to_colors();
    let mut d = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                d.push_str(&format!("M{} {}h{run}v1h-{run}z", start + QUIET, y + QUIET));
            } else {
                x += 1;
            }
        }
    }
    d
}

/// `data` as a QR code, black on white whatever the theme, named by `label` for screen readers.
/// Nothing is drawn if the data cannot fit in a QR code.
#[component]
pub fn QrImage(data: String, #[prop(into)] label: Signal<String>) -> impl IntoView {
    QrCode::new(data.as_bytes()).ok().map(|code| {
        let size = code.width() + 2 * QUIET;
        view! {
            <svg
                class="qr"
                role="img"
                aria-label=move || label.get()
                viewBox=format!("0 0 {size} {size}")
                shape-rendering="crispEdges"
            >
                <rect width=size height=size fill="#fff"/>
                <path d=path(&code) fill="#000"/>
            </svg>
        }
    })
}
