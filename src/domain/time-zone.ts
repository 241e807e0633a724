import { IANAZone } from "luxon";

export function isValidTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}
