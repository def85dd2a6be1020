//! The course: every lesson's folder and title in site order, known before any lesson is made so
//! that each lesson's pages can show where it sits and link to the lesson after it.

use super::views::{CourseLessonView, CourseListView, CourseView, NavLinkView};
use crate::format::url_segment;
use crate::model::Site;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Course {
    /// (slug, title), in site order.
    lessons: Vec<(String, String)>,
}

impl Course {
    /// The course of lessons given as (slug, title, order), put in site order: by `order`, then
    /// by folder name, as the pipeline orders its lessons.
    pub fn new(mut lessons: Vec<(String, String, i64)>) -> Self {
        lessons.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
        Course {
            lessons: lessons.into_iter().map(|(s, t, _)| (s, t)).collect(),
        }
    }

    /// The course of a site held whole (its lessons are in site order already).
    pub fn of_site(site: &Site) -> Self {
        Course {
            lessons: site
                .lessons
                .iter()
                .map(|l| (l.slug.clone(), l.meta.title.clone()))
                .collect(),
        }
    }

    /// The course as the lesson `slug` shows it.
    pub fn view(&self, slug: &str) -> CourseView<'_> {
        let at = self.lessons.iter().position(|(s, _)| s == slug);
        let link = |i: usize| {
            self.lessons.get(i).map(|(s, t)| NavLinkView {
                title: t,
                href: format!("../{}/index.html", url_segment(s)),
            })
        };
        CourseView {
            number: at.map_or(0, |i| i + 1),
            count: self.lessons.len(),
            prev: at.and_then(|i| i.checked_sub(1)).and_then(link),
            next: at.and_then(|i| link(i + 1)),
        }
    }

    /// Every lesson, numbered, with its address from a lesson's folder.
    pub fn list(&self) -> CourseListView<'_> {
        CourseListView {
            lessons: self
                .lessons
                .iter()
                .enumerate()
                .map(|(i, (s, t))| CourseLessonView {
                    number: i + 1,
                    title: t,
                    href: format!("../{}/index.html", url_segment(s)),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lessons_are_ordered_by_order_then_folder_and_each_sees_its_neighbours() {
        let course = Course::new(vec![
            ("b".into(), "Bee".into(), 1),
            ("a".into(), "Ay".into(), 1),
            ("z".into(), "Zed".into(), 0),
        ]);
        let v = course.view("a");
        assert_eq!((v.number, v.count), (2, 3));
        let list = course.list();
        let titles: Vec<&str> = list.lessons.iter().map(|l| l.title).collect();
        assert_eq!(titles, ["Zed", "Ay", "Bee"]);
        assert_eq!(list.lessons[1].number, 2);
        assert_eq!(v.prev.unwrap().href, "../z/index.html");
        assert_eq!(v.next.unwrap().title, "Bee");
        let first = course.view("z");
        assert!(first.prev.is_none());
        assert!(course.view("b").next.is_none());
        // A lesson outside the course (never in a build) has no place and no neighbours.
        let outside = course.view("q");
        assert_eq!(outside.number, 0);
        assert!(outside.next.is_none() && outside.prev.is_none());
    }

    #[test]
    fn slugs_are_percent_encoded_in_links() {
        let course = Course::new(vec![("a b".into(), "Space".into(), 0)]);
        assert_eq!(course.list().lessons[0].href, "../a%20b/index.html");
    }
}
