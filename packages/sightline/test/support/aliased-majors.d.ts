// Older majors of optional peers are installed beside the current ones under npm aliases, for
// the tests that run an integration against each. These ship no types of their own; their
// @types packages describe the current major, and the older ones take the same calls.
declare module 'opossum8' {
  import CircuitBreaker from 'opossum';
  export default CircuitBreaker;
}
declare module 'opossum9' {
  import CircuitBreaker from 'opossum';
  export default CircuitBreaker;
}
declare module 'pg811' {
  import pg from 'pg';
  export default pg;
}
