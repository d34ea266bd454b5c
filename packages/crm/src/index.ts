export { crmRouter } from "./crm.router";
