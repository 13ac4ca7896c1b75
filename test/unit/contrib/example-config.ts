import type { DefaultData } from "../../../schemas/contrib/default-data";
import text from "../../../config/contrib/default_data.json?raw";

/** The example config shipped in config/contrib, as a test fixture (a fresh copy each call). */
export function exampleConfig(): DefaultData {
  return JSON.parse(text) as DefaultData;
}
