// The app's components: three aggregates over `customers` that serve the
// admin statistics in logarithmic time (see convex/model/aggregates.ts).
import { defineApp } from "convex/server";
import aggregate from "@convex-dev/aggregate/convex.config.js";

const app = defineApp();
app.use(aggregate, { name: "customersByCreationTime" });
app.use(aggregate, { name: "customersBySpent" });
app.use(aggregate, { name: "customersByStatus" });
export default app;
