//! ALTER, DROP and COMMENT ON statements.

use super::Parser;
use super::create::{DYNAMIC_TABLE_PROPS, WAREHOUSE_PROPS};
use crate::local::ast::{
    AllowedValuesOp, Alter, AlterAction, AlterSession, ObjectType, Prop, Statement, Value,
};
use crate::local::error::{self, SqlError};
use crate::local::lexer::TokenKind;

impl Parser<'_> {
    pub(super) fn alter(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("ALTER")?;
        if self.eat_word("SESSION") {
            return self.alter_session().map(Statement::AlterSession);
        }
        let kind = self.kind_or_unsupported("ALTER")?;
        let if_exists = self.eat_words(&["IF", "EXISTS"]);
        let name = self.name()?;
        let action = match kind {
            ObjectType::Model => self.model_action()?,
            _ => self.alter_action(kind)?,
        };
        Ok(Statement::Alter(Alter {
            kind,
            if_exists,
            name,
            action,
        }))
    }

    /// `SET name = value [ , ] ...` (separated by spaces, commas or new
    /// lines) or `UNSET name [ , name ... ]`, as ALTER SESSION documents them.
    fn alter_session(&mut self) -> Result<AlterSession, SqlError> {
        if self.eat_word("UNSET") {
            let mut names = vec![self.parameter_name()?];
            while self.eat_symbol(",") {
                names.push(self.parameter_name()?);
            }
            return Ok(AlterSession::Unset(names));
        }
        self.expect_word("SET")?;
        let mut set = Vec::new();
        loop {
            let name = self.parameter_name()?;
            self.expect_symbol("=")?;
            let value = match self.value()? {
                Value::Str(s) => s,
                Value::Number(n) => n,
                Value::Name(n) if n.parts.len() == 1 => {
                    let word = n.last().as_str();
                    if word.eq_ignore_ascii_case("TRUE") || word.eq_ignore_ascii_case("FALSE") {
                        word.to_ascii_lowercase()
                    } else {
                        word.to_string()
                    }
                }
                Value::Name(_) | Value::Null => {
                    self.pos -= 1;
                    return Err(self.unexpected());
                }
            };
            set.push((name, value));
            self.eat_symbol(",");
            if self.at_end() {
                return Ok(AlterSession::Set(set));
            }
        }
    }

    fn parameter_name(&mut self) -> Result<String, SqlError> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Word => {
                self.pos += 1;
                Ok(t.value.to_ascii_uppercase())
            }
            _ => Err(self.unexpected()),
        }
    }

    pub(super) fn drop(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("DROP")?;
        let kind = self.kind_or_unsupported("DROP")?;
        let if_exists = self.eat_words(&["IF", "EXISTS"]);
        let name = self.name()?;
        if !self.eat_word("CASCADE") {
            self.eat_word("RESTRICT");
        }
        Ok(Statement::Drop {
            kind,
            if_exists,
            name,
        })
    }

    pub(super) fn comment_on(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("COMMENT")?;
        let if_exists = self.eat_words(&["IF", "EXISTS"]);
        self.expect_word("ON")?;
        let kind = self.kind_or_unsupported("COMMENT ON")?;
        let name = self.name()?;
        self.expect_word("IS")?;
        let comment = self.string()?;
        Ok(Statement::CommentOn {
            kind,
            if_exists,
            name,
            comment,
        })
    }

    fn kind_or_unsupported(&mut self, verb: &str) -> Result<ObjectType, SqlError> {
        match self.object_kind()? {
            Some(kind) => Ok(kind),
            None => match self.peek() {
                Some(t) if t.kind == TokenKind::Word => Err(error::unsupported(&format!(
                    "{verb} {}",
                    t.value.to_ascii_uppercase()
                ))),
                _ => Err(self.unexpected()),
            },
        }
    }

    fn alter_action(&mut self, kind: ObjectType) -> Result<AlterAction, SqlError> {
        if self.eat_words(&["SET", "TAG"]) {
            let mut tags = vec![self.tag_assign()?];
            while self.eat_symbol(",") {
                tags.push(self.tag_assign()?);
            }
            return Ok(AlterAction::SetTags(tags));
        }
        if self.eat_words(&["UNSET", "TAG"]) {
            return Ok(AlterAction::UnsetTags(self.name_list()?));
        }
        if self.eat_word("SET") {
            return self.set_props(kind).map(AlterAction::Set);
        }
        if self.eat_word("UNSET") {
            return self.unset_list().map(AlterAction::Unset);
        }
        if self.eat_words(&["RENAME", "TO"]) {
            return Ok(AlterAction::RenameTo(self.name()?));
        }
        self.kind_action(kind)
    }

    fn kind_action(&mut self, kind: ObjectType) -> Result<AlterAction, SqlError> {
        let action = match kind {
            ObjectType::Warehouse | ObjectType::Task | ObjectType::DynamicTable
                if self.eat_word("SUSPEND") =>
            {
                AlterAction::Suspend
            }
            ObjectType::Warehouse | ObjectType::Task | ObjectType::DynamicTable
                if self.eat_word("RESUME") =>
            {
                if kind == ObjectType::Warehouse {
                    self.eat_words(&["IF", "SUSPENDED"]);
                }
                AlterAction::Resume
            }
            ObjectType::Warehouse if self.eat_words(&["ABORT", "ALL", "QUERIES"]) => {
                AlterAction::AbortAllQueries
            }
            ObjectType::DynamicTable if self.eat_word("REFRESH") => AlterAction::Refresh,
            ObjectType::DynamicTable | ObjectType::Table if self.eat_words(&["CLUSTER", "BY"]) => {
                AlterAction::ClusterBy(self.cluster_by()?)
            }
            ObjectType::DynamicTable | ObjectType::Table
                if self.eat_words(&["DROP", "CLUSTERING", "KEY"]) =>
            {
                AlterAction::DropClusteringKey
            }
            ObjectType::Task => self.task_action()?,
            ObjectType::Tag => self.tag_action()?,
            _ => return Err(self.unexpected()),
        };
        Ok(action)
    }

    fn task_action(&mut self) -> Result<AlterAction, SqlError> {
        if self.eat_words(&["ADD", "AFTER"]) {
            Ok(AlterAction::AddAfter(self.name_list()?))
        } else if self.eat_words(&["REMOVE", "AFTER"]) {
            Ok(AlterAction::RemoveAfter(self.name_list()?))
        } else if self.eat_words(&["MODIFY", "AS"]) {
            Ok(AlterAction::ModifyAs(self.rest_text()?))
        } else if self.eat_words(&["MODIFY", "WHEN"]) {
            Ok(AlterAction::ModifyWhen(self.rest_text()?))
        } else if self.eat_words(&["REMOVE", "WHEN"]) {
            Ok(AlterAction::RemoveWhen)
        } else {
            Err(self.unexpected())
        }
    }

    fn tag_action(&mut self) -> Result<AlterAction, SqlError> {
        let op = if self.eat_words(&["ADD", "ALLOWED_VALUES"]) {
            AllowedValuesOp::Add
        } else if self.eat_words(&["DROP", "ALLOWED_VALUES"]) {
            AllowedValuesOp::Drop
        } else {
            return Err(self.unexpected());
        };
        let mut values = vec![self.string()?];
        while self.eat_symbol(",") {
            values.push(self.string()?);
        }
        Ok(AlterAction::AllowedValues(op, values))
    }

    fn model_action(&mut self) -> Result<AlterAction, SqlError> {
        if self.eat_words(&["ADD", "VERSION"]) {
            let version = self.ident()?;
            let source = self.version_source()?;
            return Ok(AlterAction::AddVersion(version, source));
        }
        if self.eat_words(&["DROP", "VERSION"]) {
            return Ok(AlterAction::DropVersion(self.ident()?));
        }
        if self.eat_words(&["MODIFY", "VERSION"]) {
            let version = self.ident()?;
            if self.eat_word("SET") {
                let props = self.set_props(ObjectType::Model)?;
                return Ok(AlterAction::ModifyVersionSet(version, props));
            }
            self.expect_word("UNSET")?;
            return Ok(AlterAction::ModifyVersionUnset(version, self.unset_list()?));
        }
        if self.eat_word("VERSION") {
            let version = self.ident()?;
            if self.eat_words(&["SET", "ALIAS"]) {
                self.expect_symbol("=")?;
                return Ok(AlterAction::SetAlias(version, self.ident()?));
            }
            self.expect_word("UNSET")?;
            self.expect_word("ALIAS")?;
            return Ok(AlterAction::UnsetAlias(version));
        }
        self.alter_action(ObjectType::Model)
    }

    /// One or more `KEY = value`, optionally comma-separated.
    fn set_props(&mut self, kind: ObjectType) -> Result<Vec<Prop>, SqlError> {
        let known: &[&str] = match kind {
            ObjectType::Warehouse => WAREHOUSE_PROPS,
            ObjectType::DynamicTable => DYNAMIC_TABLE_PROPS,
            ObjectType::Model => &["COMMENT", "DEFAULT_VERSION", "METADATA"],
            ObjectType::Tag => &["COMMENT"],
            _ => &[],
        };
        if kind == ObjectType::View && self.eat_word("SECURE") {
            return Ok(vec![Prop {
                key: "SECURE".into(),
                value: Value::Str("true".into()),
            }]);
        }
        let mut props = vec![self.prop(known)?];
        while !self.at_end() {
            self.eat_symbol(",");
            props.push(self.prop(known)?);
        }
        Ok(props)
    }

    /// `KEY [, KEY ...]` after UNSET.
    fn unset_list(&mut self) -> Result<Vec<String>, SqlError> {
        let mut keys = Vec::new();
        loop {
            match self.peek() {
                Some(t) if t.kind == TokenKind::Word => {
                    keys.push(t.value.to_ascii_uppercase());
                    self.advance();
                }
                _ => return Err(self.unexpected()),
            }
            if !self.eat_symbol(",") {
                break;
            }
        }
        Ok(keys)
    }
}
