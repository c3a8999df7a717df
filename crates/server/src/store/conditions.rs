//! `WHERE` clauses built from a listing's filters, every value bound, never spliced in.

pub(crate) enum Value {
    Text(String),
    Int(i64),
}

/// `WHERE` conditions with their values bound as `$1`, `$2`, … in order.
#[derive(Default)]
pub(crate) struct Conditions {
    pub(crate) sql: Vec<String>,
    pub(crate) values: Vec<Value>,
}

impl Conditions {
    /// Adds a condition whose `?` stands for the next bound value.
    pub(crate) fn push(&mut self, condition: &str, value: Value) {
        self.push_all(condition, vec![value]);
    }

    /// Adds a condition whose `?`s stand for the next bound values, in order.
    pub(crate) fn push_all(&mut self, condition: &str, values: Vec<Value>) {
        let sql = self.numbered(condition, values);
        self.sql.push(sql);
    }

    /// Binds the values of an expression used elsewhere than the `WHERE` clause (a select
    /// list's `CASE`), numbering its `?`s after the values bound so far; its text.
    pub(crate) fn numbered(&mut self, expression: &str, values: Vec<Value>) -> String {
        let mut parts = expression.split('?');
        let mut sql = parts.next().unwrap_or_default().to_string();
        for (part, value) in parts.zip(values) {
            self.values.push(value);
            sql.push_str(&format!("${}{part}", self.values.len()));
        }
        sql
    }

    pub(crate) fn clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }

    pub(crate) fn bind<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for value in &self.values {
            query = match value {
                Value::Text(text) => query.bind(text.as_str()),
                Value::Int(n) => query.bind(*n),
            };
        }
        query
    }
}
