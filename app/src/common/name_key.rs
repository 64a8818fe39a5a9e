//! The key people are listed by: their name in pinyin, as a Chinese reader expects.
//!
//! Stored with each person (`people.name_key`) so lists can be sorted and paged by
//! the database. Each Chinese character becomes its toneless syllable padded to six
//! places with `0`, then its tone (1–4, 5 for neutral): 李 → `li00003`, 林 → `lin0002`.
//! Fixed width makes 李 (li) sort before 林 (lin) whatever the database's collation,
//! since digits come before letters in all of them; the tone decides between
//! characters of the same syllable. Other letters and digits are kept, lower-cased.

use pinyin::ToPinyin;

const SYLLABLE_WIDTH: usize = 6;

pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 3);
    for (ch, reading) in name.chars().zip(name.to_pinyin()) {
        match reading {
            Some(p) => {
                let plain = p.plain();
                key.push_str(plain);
                for _ in plain.len()..SYLLABLE_WIDTH {
                    key.push('0');
                }
                key.push(tone_of(p.with_tone_num_end()));
            }
            None if ch.is_alphanumeric() => key.extend(ch.to_lowercase()),
            None => {}
        }
    }
    key
}

/// `with_tone_num_end` ends in the tone digit, or has none for the neutral tone.
fn tone_of(numbered: &str) -> char {
    numbered
        .chars()
        .last()
        .filter(char::is_ascii_digit)
        .unwrap_or('5')
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn keys_follow_pinyin_syllable_by_syllable() {
        assert_eq!(name_key("李"), "li00003");
        assert_eq!(name_key("林"), "lin0002");
        // li < lin even when the next syllable would say otherwise.
        assert!(name_key("李文") < name_key("林波"));
        // Same syllable: the tone decides (黎 lí before 李 lǐ).
        assert!(name_key("黎明") < name_key("李明"));
        assert!(name_key("王芳") < name_key("张伟"));
        assert!(name_key("周敏") > name_key("赵丽"));
        assert_eq!(name_key("Anna Li"), "annali");
    }

    #[test]
    fn sorting_a_list_of_names() {
        let mut names = vec![
            "张伟", "王芳", "李娜", "刘洋", "陈静", "林峰", "黄磊", "安然",
        ];
        names.sort_by_key(|n| name_key(n));
        assert_eq!(
            names,
            vec![
                "安然", "陈静", "黄磊", "李娜", "林峰", "刘洋", "王芳", "张伟"
            ]
        );
    }
}
