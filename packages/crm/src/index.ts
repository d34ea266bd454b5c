export { crmRouter } from "./crm.router";
export {
  type ExportKind,
  exportCsv,
  exportFilterNames,
  exportKinds,
  importErrorReport,
  type ListPage,
} from "./export.csv";
export { type ImportKind, importKinds } from "./import.fields";
export {
  ImportAbortedError,
  ImportFileError,
  type ImportResult,
  importOptions,
  runImport,
  type StoredError,
} from "./import.run";
export { refreshStatisticsAfterImport } from "./import.statistics";
export { purgeTrash } from "./trash";
