/** Meta's customer-service window: free-form messages only within 24 h of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** True when free-form text may go to a customer who last wrote at `lastInbound`. */
export function insideServiceWindow(lastInbound: Date | null, now: Date): boolean {
  return lastInbound !== null && now.getTime() - lastInbound.getTime() <= SERVICE_WINDOW_MS;
}
