"""What a rule sees: the article's context, the run's memo, the docset index, and the helpers behind them.

The rules import this package and nothing of the engine (`docskit.check`), which imports the rules: the
dependencies go one way, engine -> rules -> analysis. The package imports none of its modules here, so a
process that needs one of them (the Azure ML worker) loads only that one.
"""
