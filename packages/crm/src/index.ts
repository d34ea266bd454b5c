export { crmRouter } from "./crm.router";
export { purgeTrash } from "./trash";
