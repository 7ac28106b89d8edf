// JSX through the automatic runtime (`react/jsx-runtime`, CommonJS too), hooks and context.
import { useMemo, useState } from 'react';
import { Badge, Field, ThemeContext, Toggle } from './widgets.mjs';

function List({ items }) {
  const sorted = useMemo(() => [...items].sort(), [items]);
  return (
    <ul className="list">
      {sorted.map((item, index) => (
        <li key={item} data-index={index}>
          {item}
        </li>
      ))}
    </ul>
  );
}

function Counter({ start }) {
  const [count] = useState(start);
  return (
    <button type="button" disabled={count > 1} style={{ marginLeft: 4, fontWeight: 'bold' }}>
      {count} clicks
    </button>
  );
}

export function App({ title, items }) {
  return (
    <ThemeContext.Provider value="dark">
      <main id="app">
        <h1>{title}</h1>
        <List items={items} />
        <Counter start={2} />
        <Badge label="new" />
        <Field name="q" defaultValue="x" />
        <Toggle on />
        <>
          tail <b>{null}</b>
          {false}
          {0}
        </>
      </main>
    </ThemeContext.Provider>
  );
}
