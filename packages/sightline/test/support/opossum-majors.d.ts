// opossum ships no types; @types/opossum describes `opossum`. Majors 8 and 9, installed beside
// 10 as `opossum8` and `opossum9` for the breaker tests, take the same calls.
declare module 'opossum8' {
  import CircuitBreaker from 'opossum';
  export default CircuitBreaker;
}
declare module 'opossum9' {
  import CircuitBreaker from 'opossum';
  export default CircuitBreaker;
}
