/** Header names the transport adds to a dead letter. */
export const DEAD_LETTER_HEADERS = Object.freeze({
  reason: 'Sightline-Dead-Letter-Reason',
  detail: 'Sightline-Dead-Letter-Detail',
  errorType: 'Sightline-Error-Type',
  subject: 'Sightline-Original-Subject',
  group: 'Sightline-Consumer-Group',
  deliveries: 'Sightline-Deliveries',
  sequence: 'Sightline-Stream-Sequence',
  /** On a cut dead letter only: the original body's size in bytes. */
  originalSize: 'Sightline-Original-Size',
});
