// Style imports are handled by webpack (wp-scripts); TypeScript only needs to know they exist.
declare module '*.scss';
