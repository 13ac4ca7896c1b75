import { useEffect } from "preact/hooks";
import { documentTitle } from "../../../schemas/pages";

/** Sets the document's title to `<name> · edgestats` while the page is shown. */
export function useTitle(name: string) {
  useEffect(() => {
    document.title = documentTitle(name);
  }, [name]);
}
