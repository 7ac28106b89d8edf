//! A TypeScript + JSX application written against preact (an ES-module JSX library,
//! installed from the npm registry), bundled by the real binary with nothing but its own
//! tsconfig, and rendered to HTML in node with preact-render-to-string. The HTML is asserted,
//! and it must be what TypeScript's own compiler gives unbundled.

mod common;

use std::process::Command;

const APP: &str = r#"import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

type ListProps = { title: string; items: readonly string[] };

export function List({ title, items }: ListProps) {
  return (
    <section>
      <h1>{title}</h1>
      <ul>{items.map((item) => <li key={item}>{item}</li>)}</ul>
    </section>
  );
}

export function Counter({ start }: { start: number }) {
  const [count] = useState(start);
  return <button disabled={count > 1}>{count}</button>;
}

export enum Theme { Light = 'light', Dark = 'dark' }

export function Layout({ theme, children }: { theme: Theme; children: ComponentChildren }) {
  return <main class={`app ${theme}`}>{children}</main>;
}
"#;

const MAIN: &str = r#"import { render } from 'preact-render-to-string';
import { Counter, Layout, List, Theme } from './app';

const html: string = render(
  <Layout theme={Theme.Dark}>
    <List title="Fruits" items={['apple', 'pear']} />
    <Counter start={2} />
    <>tail</>
  </Layout>,
);
console.log(html);
"#;

const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "jsx": "react-jsx",
    "jsxImportSource": "preact",
    "strict": true
  }
}
"#;

const EXPECTED: &str = "<main class=\"app dark\"><section><h1>Fruits</h1><ul><li>apple</li><li>pear</li></ul></section><button disabled>2</button>tail</main>\n";

#[test]
fn a_preact_app_renders_to_html() {
    let dir = common::scratch_dir("jsx-app");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/app.tsx"), APP).unwrap();
    std::fs::write(dir.join("src/main.tsx"), MAIN).unwrap();
    std::fs::write(dir.join("tsconfig.json"), TSCONFIG).unwrap();
    std::fs::write(dir.join("package.json"), r#"{ "type": "module" }"#).unwrap();
    std::os::unix::fs::symlink(
        common::node_tools_dir().join("node_modules"),
        dir.join("node_modules"),
    )
    .unwrap();

    common::run_successfully(
        common::verde()
            .args(["build", "src/main.tsx", "--outfile", "out/bundle.mjs"])
            .current_dir(&dir),
        "verde build",
    );
    let bundled = common::run_node(&dir.join("out/bundle.mjs"));
    assert_eq!(bundled, EXPECTED);

    // TypeScript's own compile of the same files, run unbundled, prints the same.
    common::transpile_in_place(&dir);
    let output = Command::new("node")
        .arg("--import")
        .arg(common::node_scripts_dir().join("register.mjs"))
        .arg(dir.join("src/main.js"))
        .output()
        .expect("node runs");
    assert_eq!(common::describe_output(&output), EXPECTED);
}
