/**
 * bootaudit analysis: what a compliance review asks of core's events. Per-boot reports ({@link
 * org.bootaudit.analysis.Report}), the used-file list ({@link org.bootaudit.analysis.UsedFiles}),
 * diff and baseline ({@link org.bootaudit.analysis.Diff}, {@link
 * org.bootaudit.analysis.Baseline}), the atime scan ({@link org.bootaudit.analysis.AtimeScan}),
 * the HTML report ({@link org.bootaudit.analysis.HtmlReport}) and event writers ({@link
 * org.bootaudit.analysis.EventWriter}).
 */
module org.bootaudit.analysis {
  requires transitive org.bootaudit.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.csv;
  requires com.google.common;

  exports org.bootaudit.analysis;
}
