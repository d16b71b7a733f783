// The sign-in page: only translation and the "failed" notice; the form posts by itself.
import { applyStatic, toggleLanguage } from "./i18n.js";

const failed = new URLSearchParams(location.search).has("failed");
document.getElementById("failed").hidden = !failed;
document.getElementById("lang").addEventListener("click", () => {
  toggleLanguage();
  applyStatic(document);
});
applyStatic(document);
