// Components written with React.createElement: context, memo, forwardRef, useId.
import React from 'react';

const h = React.createElement;

export const ThemeContext = React.createContext('light');

export const Badge = React.memo(function Badge({ label }) {
  const theme = React.useContext(ThemeContext);
  return h('span', { className: `badge ${theme}`, id: React.useId() }, label);
});

export const Field = React.forwardRef(function Field(props, ref) {
  return h('label', null, props.name, h('input', { ...props, ref, readOnly: true }));
});

export class Toggle extends React.Component {
  render() {
    return h(React.Fragment, null, h('i', null, this.props.on ? 'on' : 'off'), h('hr'));
  }
}
