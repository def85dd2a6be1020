//! The built-in templates, compiled into the binary so that `lectern` works in any folder. They
//! are the files of the repository's `templates/` folder; a project's `templates/NAME` replaces
//! the built-in file of the same name.

/// (name, contents) of every built-in template and asset, sorted by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("404.html", include_str!("../templates/404.html")),
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("lectern.js", include_str!("../templates/lectern.js")),
    ("lesson.html", include_str!("../templates/lesson.html")),
    ("matrix.html", include_str!("../templates/matrix.html")),
    ("quiz.html", include_str!("../templates/quiz.html")),
    ("step.html", include_str!("../templates/step.html")),
    ("style.css", include_str!("../templates/style.css")),
    ("try.js", include_str!("../templates/try.js")),
];
