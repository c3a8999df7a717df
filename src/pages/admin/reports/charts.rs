//! Bar charts drawn as SVG in the page, each beside the table it is drawn from. Series differ
//! by fill pattern as well as by shade, and every bar group is labelled, so a chart reads
//! without colour; the table is the screen reader's (and anyone's) exact figures, each number
//! a link to the users or events behind it, and downloads as CSV.

use leptos::prelude::*;
use rekey_core::i18n::AdminKey;

use crate::i18n::use_i18n;

/// One number of a table, with the page that lists what it counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub value: u64,
    pub href: Option<String>,
}

impl Cell {
    pub fn linked(value: u64, href: String) -> Cell {
        Cell {
            value,
            href: Some(href),
        }
    }
}

/// What a chart draws: a label per category (a row of the table), a name per series (a
/// column), and the numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    pub categories: Vec<String>,
    pub series: Vec<String>,
    /// `rows[category][series]`.
    pub rows: Vec<Vec<Cell>>,
}

impl ChartData {
    /// What the first `drawn` series add up to.
    fn total(&self, drawn: usize) -> u64 {
        self.rows
            .iter()
            .flat_map(|row| row.iter().take(drawn))
            .map(|c| c.value)
            .sum()
    }

    /// The tallest bar of the first `drawn` series: a whole stack, or one bar of a group.
    fn peak(&self, stacked: bool, drawn: usize) -> u64 {
        self.rows
            .iter()
            .map(|row| {
                let bars = row.iter().take(drawn).map(|c| c.value);
                if stacked {
                    bars.sum()
                } else {
                    bars.max().unwrap_or(0)
                }
            })
            .max()
            .unwrap_or(0)
    }

    /// The table as CSV, for a download link.
    fn csv(&self, first_column: &str) -> String {
        let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
        let mut lines = vec![std::iter::once(first_column)
            .chain(self.series.iter().map(String::as_str))
            .map(quote)
            .collect::<Vec<_>>()
            .join(",")];
        for (label, row) in self.categories.iter().zip(&self.rows) {
            let numbers = row.iter().map(|c| c.value.to_string());
            lines.push(
                std::iter::once(quote(label))
                    .chain(numbers)
                    .collect::<Vec<_>>()
                    .join(","),
            );
        }
        lines.join("\r\n") + "\r\n"
    }
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 32.0;
const TOP: f64 = 16.0;

/// The patterns a series is filled with, in order; shades follow the same order in the CSS.
const PATTERNS: usize = 4;

/// A chart and its table. `id` names the chart's patterns and headings; `stacked` piles a
/// category's series into one bar (else they stand side by side); `drawn` is how many of the
/// first series are drawn (all when not given; the rest are columns of the table only, such as
/// a total or the parts behind a drawn sum); `table_open` shows the table at once (else it
/// folds under "Show as a table").
#[component]
pub fn BarChart(
    id: &'static str,
    title: Signal<String>,
    first_column: Signal<String>,
    data: Signal<ChartData>,
    #[prop(optional)] stacked: bool,
    #[prop(optional)] drawn: Option<usize>,
    #[prop(optional)] table_open: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let drawn = drawn.unwrap_or(usize::MAX);
    let summary = move || {
        data.with(|d| {
            i18n.format(
                AdminKey::ChartSummary,
                &[
                    ("title", &title.get()),
                    ("count", &i18n.count(d.total(drawn))),
                    ("periods", &i18n.count(d.categories.len() as u64)),
                    ("max", &i18n.count(d.peak(stacked, drawn))),
                ],
            )
        })
    };
    let csv_href = move || {
        let csv = data.with(|d| d.csv(&first_column.get()));
        format!(
            "data:text/csv;charset=utf-8,{}",
            String::from(js_sys::encode_uri_component(&csv))
        )
    };
    let file_name = format!("rekey-{id}.csv");
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <figure class="chart" aria-labelledby=labelled_by>
            <figcaption id=title_id>{move || title.get()}</figcaption>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=summary
                preserveAspectRatio="xMidYMid meet"
            >
                <defs>{patterns(id)}</defs>
                {move || data.with(|d| bars(id, d, stacked, drawn))}
            </svg>
            <ul class="legend">
                {move || data.with(|d| d.series.iter().take(drawn).enumerate().map(|(i, name)| view! {
                    <li>
                        <svg class="swatch" viewBox="0 0 16 16" aria-hidden="true">
                            <rect width="16" height="16" class=format!("s{}", i % PATTERNS) fill=format!("url(#{id}-p{})", i % PATTERNS)/>
                        </svg>
                        {name.clone()}
                    </li>
                }).collect_view())}
            </ul>
            <details class="chart-table" open=table_open>
                <summary>{move || i18n.t(AdminKey::ShowTable)}</summary>
                <div class="table-wrap" tabindex="0" role="region" aria-label=move || title.get()>
                    <table>
                        <caption class="visually-hidden">{move || title.get()}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || first_column.get()}</th>
                                {move || data.with(|d| d.series.iter().map(|name| view! {
                                    <th scope="col" class="numeric">{name.clone()}</th>
                                }).collect_view())}
                            </tr>
                        </thead>
                        <tbody>
                            {move || data.with(|d| d.categories.iter().zip(d.rows.clone()).map(|(label, row)| view! {
                                <tr>
                                    <th scope="row">{label.clone()}</th>
                                    {row.into_iter().map(|cell| view! { <td class="numeric">{figure(cell)}</td> }).collect_view()}
                                </tr>
                            }).collect_view())}
                        </tbody>
                    </table>
                </div>
                <a class="button-link" href=csv_href download=file_name>{move || i18n.t(AdminKey::DownloadTable)}</a>
            </details>
        </figure>
    }
}

/// A number, as a link to what it counts when there is such a page.
pub fn figure(cell: Cell) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || i18n.count(cell.value);
    match cell.href {
        Some(href) => view! { <a href=href>{text}</a> }.into_any(),
        None => text.into_any(),
    }
}

/// Solid, diagonal lines, dots, cross-hatch: told apart without colour.
fn patterns(id: &'static str) -> impl IntoView {
    let shapes = [
        "",
        "<path d='M0 8L8 0' stroke-width='2'/>",
        "<circle cx='4' cy='4' r='1.6'/>",
        "<path d='M0 0L8 8M8 0L0 8' stroke-width='1.2'/>",
    ];
    shapes
        .into_iter()
        .enumerate()
        .map(|(i, shape)| {
            view! {
                <pattern id=format!("{id}-p{i}") class=format!("pattern s{i}") width="8" height="8" patternUnits="userSpaceOnUse">
                    <rect width="8" height="8" class="pattern-ground"/>
                    <g class="pattern-ink" inner_html=shape/>
                </pattern>
            }
        })
        .collect_view()
}

fn bars(id: &'static str, data: &ChartData, stacked: bool, drawn: usize) -> impl IntoView {
    let plot_width = WIDTH - LEFT - 8.0;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let peak = data.peak(stacked, drawn).max(1) as f64;
    let n = data.categories.len().max(1);
    let slot = plot_width / n as f64;
    let series = data.series.len().clamp(1, drawn);
    let bar_width = if stacked {
        slot * 0.7
    } else {
        slot * 0.8 / series as f64
    };
    // At most eight labels along the bottom, each cut to the room it has (the table has them
    // whole).
    let label_every = n.div_ceil(8);
    let room = ((slot * label_every as f64) / 9.0).floor().max(3.0) as usize;
    let y = |value: f64| TOP + plot_height - value / peak * plot_height;
    let mut shapes = Vec::new();
    for (index, row) in data.rows.iter().enumerate() {
        let x0 = LEFT
            + index as f64 * slot
            + (slot
                - if stacked {
                    bar_width
                } else {
                    bar_width * series as f64
                })
                / 2.0;
        let mut base = 0.0;
        for (s, cell) in row.iter().take(drawn).enumerate() {
            let value = cell.value as f64;
            let (x, bottom) = if stacked {
                (x0, base)
            } else {
                (x0 + s as f64 * bar_width, 0.0)
            };
            if value > 0.0 {
                let top = y(bottom + value);
                let height = y(bottom) - top;
                let class = format!("bar s{}", s % PATTERNS);
                let fill = format!("url(#{id}-p{})", s % PATTERNS);
                shapes.push(view! {
                    <rect class=class fill=fill x=format!("{x:.1}") y=format!("{top:.1}") width=format!("{:.1}", bar_width.max(1.0)) height=format!("{height:.1}")/>
                }.into_any());
            }
            if stacked {
                base += value;
            }
        }
        if index % label_every == 0 {
            let label = short(&data.categories[index], room);
            let x = LEFT + index as f64 * slot + slot / 2.0;
            shapes.push(view! {
                <text class="axis-label" x=format!("{x:.1}") y=format!("{:.1}", HEIGHT - 8.0) text-anchor="middle">{label}</text>
            }.into_any());
        }
    }
    let axis = view! {
        <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=TOP + plot_height/>
        <line class="axis" x1=LEFT y1=TOP + plot_height x2=WIDTH - 8.0 y2=TOP + plot_height/>
        <line class="grid" x1=LEFT y1=TOP x2=WIDTH - 8.0 y2=TOP/>
        <text class="axis-label" x=LEFT - 6.0 y=TOP + 5.0 text-anchor="end">{data.peak(stacked, drawn)}</text>
        <text class="axis-label" x=LEFT - 6.0 y=TOP + plot_height + 5.0 text-anchor="end">"0"</text>
    };
    view! { <g aria-hidden="true">{axis}{shapes}</g> }
}

/// A label cut to `room` characters, with an ellipsis when it was longer; a date loses its
/// year first.
fn short(label: &str, room: usize) -> String {
    let label = match label.split_once('-') {
        Some((year, rest)) if year.len() == 4 && label.len() == 10 => rest,
        _ => label,
    };
    if label.chars().count() <= room {
        label.to_string()
    } else {
        let cut: String = label.chars().take(room.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> ChartData {
        ChartData {
            categories: vec!["Mon \"1\"".into(), "Tue".into()],
            series: vec!["Reset".into(), "Unlock".into()],
            rows: vec![
                vec![
                    Cell {
                        value: 3,
                        href: None,
                    },
                    Cell {
                        value: 1,
                        href: None,
                    },
                ],
                vec![
                    Cell {
                        value: 0,
                        href: None,
                    },
                    Cell {
                        value: 5,
                        href: None,
                    },
                ],
            ],
        }
    }

    #[test]
    fn the_peak_is_a_whole_stack_or_the_tallest_bar() {
        let all = usize::MAX;
        assert_eq!(data().peak(true, all), 5);
        assert_eq!(data().peak(false, all), 5);
        assert_eq!(data().total(all), 9);
        let mut taller = data();
        taller.rows[0][1].value = 4;
        assert_eq!(taller.peak(true, all), 7);
        assert_eq!(taller.peak(false, all), 5);
    }

    #[test]
    fn series_not_drawn_count_for_nothing_in_the_picture() {
        // Only "Reset" is drawn; "Unlock" is a column of the table only.
        assert_eq!(data().peak(true, 1), 3);
        assert_eq!(data().peak(false, 1), 3);
        assert_eq!(data().total(1), 3);
    }

    #[test]
    fn axis_labels_fit_their_room() {
        assert_eq!(short("2026-12-07", 10), "12-07");
        assert_eq!(short("Email", 10), "Email");
        assert_eq!(short("Authenticator app", 8), "Authent…");
    }

    #[test]
    fn the_table_downloads_as_csv_with_quoted_labels() {
        assert_eq!(
            data().csv("Day"),
            "\"Day\",\"Reset\",\"Unlock\"\r\n\"Mon \"\"1\"\"\",3,1\r\n\"Tue\",0,5\r\n"
        );
    }
}
