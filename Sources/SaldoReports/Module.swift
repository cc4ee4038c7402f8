/// Namespace for SaldoReports; see the files beside this one.
public enum SaldoReportsModule {}
