/// Namespace for SaldoForecast; see the files beside this one.
public enum SaldoForecastModule {}
