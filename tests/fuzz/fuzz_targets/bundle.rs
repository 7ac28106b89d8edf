//! libFuzzer target: arbitrary text as several modules (`//- name.js` headers), bundled in
//! every format through parse, link and render; see `verde_fuzz::bundle`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    verde_fuzz::bundle::check(data);
});
