import SaldoCLI
SaldoCLI.main()
