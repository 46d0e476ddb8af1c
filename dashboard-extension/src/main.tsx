import "@saleor/macaw-ui/style";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { createHost } from "./app/host";

const host = createHost();
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App host={host} />
  </StrictMode>,
);
