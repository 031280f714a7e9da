import ArgumentParser
import Fusions

extension FusionFormat: ExpressibleByArgument {}
