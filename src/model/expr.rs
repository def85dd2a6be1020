//! The expression language as data: the tree that `parse::expr` reads from the text of
//! `compute:` and inline values, and that compute evaluates. Every node keeps its byte span in the
//! expression text so that errors can underline it.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    MatMul,
    /// `A ** p`: each entry (or a number) to a number's power.
    Pow,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::MatMul => "@",
            BinOp::Pow => "**",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Sqrt,
    Softmax,
    Rows,
    Cols,
    Exp,
    Log,
    Abs,
    Tanh,
    Sigmoid,
    Relu,
    Gelu,
    Sin,
    Cos,
    Sum,
    Mean,
    Var,
    Max,
    Min,
    Ones,
    Zeros,
    Eye,
    CausalMask,
    Hstack,
    Vstack,
    Layernorm,
}

pub const FUNCTIONS: [(&str, Func); 25] = [
    ("sqrt", Func::Sqrt),
    ("softmax", Func::Softmax),
    ("rows", Func::Rows),
    ("cols", Func::Cols),
    ("exp", Func::Exp),
    ("log", Func::Log),
    ("abs", Func::Abs),
    ("tanh", Func::Tanh),
    ("sigmoid", Func::Sigmoid),
    ("relu", Func::Relu),
    ("gelu", Func::Gelu),
    ("sin", Func::Sin),
    ("cos", Func::Cos),
    ("sum", Func::Sum),
    ("mean", Func::Mean),
    ("var", Func::Var),
    ("max", Func::Max),
    ("min", Func::Min),
    ("ones", Func::Ones),
    ("zeros", Func::Zeros),
    ("eye", Func::Eye),
    ("causal_mask", Func::CausalMask),
    ("hstack", Func::Hstack),
    ("vstack", Func::Vstack),
    ("layernorm", Func::Layernorm),
];

impl Func {
    pub fn name(self) -> &'static str {
        FUNCTIONS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }

    /// The fewest and most arguments the function takes.
    pub fn arity(self) -> (usize, usize) {
        match self {
            Func::Ones | Func::Zeros => (2, 2),
            Func::Hstack | Func::Vstack => (1, usize::MAX),
            Func::Layernorm => (3, 4),
            _ => (1, 1),
        }
    }

    /// The functions applied to each entry on its own (and to a number).
    pub fn is_entrywise(self) -> bool {
        matches!(
            self,
            Func::Sqrt
                | Func::Exp
                | Func::Log
                | Func::Abs
                | Func::Tanh
                | Func::Sigmoid
                | Func::Relu
                | Func::Gelu
                | Func::Sin
                | Func::Cos
        )
    }

    /// The reductions over each row, to an m×1 column.
    pub fn is_row_reduction(self) -> bool {
        matches!(
            self,
            Func::Sum | Func::Mean | Func::Var | Func::Max | Func::Min
        )
    }
}

/// A row or column key as written (`cat`, `2`, `"The"`), with its span.
pub type Key = (String, Range<usize>);

/// What one side of `A[rows, cols]` selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Sel {
    /// `:`, every row (or column).
    All,
    /// One label or 1-based position.
    One(Key),
    /// `from:to`, inclusive, by labels or positions.
    Range(Key, Key),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Num(f64),
    Name(String),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Transpose(Box<Expr>),
    /// `M[row, col]`, each key with its own span.
    Index(Box<Expr>, Key, Key),
    /// `M[rows, cols]` where at least one side is `:` or a range: a matrix.
    Slice(Box<Expr>, Box<(Sel, Sel)>),
    Call(Func, Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Range<usize>,
}

/// One side of an equation laid out as tables (`layout: equation`): a named matrix, maybe
/// transposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term<'a> {
    pub name: &'a str,
    pub transposed: bool,
}

impl Expr {
    /// `A op B` of two named matrices, each maybe transposed (`X @ W_Q^T`, `E + P`): the sign
    /// printed between their tables (`·`, `+`, `−`, `⊙`) and the two terms. `None` for any other
    /// shape, which `layout: equation` cannot lay out.
    pub fn equation(&self) -> Option<(&'static str, [Term<'_>; 2])> {
        let ExprKind::Binary(op, a, b) = &self.kind else {
            return None;
        };
        let sign = match op {
            BinOp::MatMul => "·",
            BinOp::Add => "+",
            BinOp::Sub => "−",
            BinOp::Mul => "⊙",
            BinOp::Div | BinOp::Pow => return None,
        };
        Some((sign, [a.term()?, b.term()?]))
    }

    /// A matrix name, or a name transposed.
    pub fn term(&self) -> Option<Term<'_>> {
        let (inner, transposed) = match &self.kind {
            ExprKind::Transpose(inner) => (&**inner, true),
            _ => (self, false),
        };
        match &inner.kind {
            ExprKind::Name(name) => Some(Term { name, transposed }),
            _ => None,
        }
    }

    /// Every matrix name the expression reads, in order of appearance (with repeats).
    pub fn names(&self) -> Vec<(&str, Range<usize>)> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    fn collect_names<'a>(&'a self, out: &mut Vec<(&'a str, Range<usize>)>) {
        match &self.kind {
            ExprKind::Num(_) => {}
            ExprKind::Name(n) => out.push((n, self.span.clone())),
            ExprKind::Neg(e)
            | ExprKind::Transpose(e)
            | ExprKind::Index(e, _, _)
            | ExprKind::Slice(e, _) => e.collect_names(out),
            ExprKind::Binary(_, a, b) => {
                a.collect_names(out);
                b.collect_names(out);
            }
            ExprKind::Call(_, args) => args.iter().for_each(|a| a.collect_names(out)),
        }
    }
}
